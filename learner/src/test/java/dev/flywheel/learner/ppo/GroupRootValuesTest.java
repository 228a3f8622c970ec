package dev.flywheel.learner.ppo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.flywheel.learner.experience.Experience;
import dev.flywheel.learner.ledger.RecordPosition;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupRootValuesTest {

    private final List<Experience> batch = new ArrayList<>();

    @Test
    void sharedStatesTakeTheMeanReturnOfThePromptsOtherSamples() {
        add("g", 5, 1, 2);
        add("g", 5, 1, 3);
        add("g", 5, 4);
        float[][] rewards = {{0, 0, 1}, {0, 0, -1}, {0, 0.5f}};
        float[][] critic = {{0.9f, 0.8f, 0.7f}, {0.9f, 0.8f, 0.6f}, {0.9f, 0.1f}};

        float[][] values = GroupRootValues.of(batch, rewards, critic);

        // Only state 0 (the prompt) and state 1 (after the shared first token) are shared by all three.
        assertThat(values[0][0]).isCloseTo((-1 + 0.5f) / 2, within(1e-6f));
        assertThat(values[1][0]).isCloseTo((1 + 0.5f) / 2, within(1e-6f));
        assertThat(values[2][0]).isCloseTo(0f, within(1e-6f));
        assertThat(values[0][1]).isEqualTo(values[0][0]);
        assertThat(values[2][1]).isEqualTo(values[2][0]);
        assertThat(values[0][2]).as("past the shared prefix the critic stays").isEqualTo(0.7f);
        assertThat(values[1][2]).isEqualTo(0.6f);
    }

    @Test
    void returnsAreCountedFromEachSharedStateOn() {
        add("g", 7, 1);
        add("g", 7, 2);
        // A per-token KL penalty on the shared first token differs by sample only in the reward, never in the state.
        float[][] rewards = {{-0.25f, 1}, {-0.5f, 0}};
        float[][] values = GroupRootValues.of(batch, rewards, new float[][] {{0, 0}, {0, 0}});

        assertThat(values[0][0]).isCloseTo(-0.5f, within(1e-6f));
        assertThat(values[0][1]).isCloseTo(0f, within(1e-6f));
        assertThat(values[1][0]).isCloseTo(0.75f, within(1e-6f));
        assertThat(values[1][1]).isCloseTo(1f, within(1e-6f));
    }

    @Test
    void aSampleWithoutSiblingsInTheBatchKeepsTheCritic() {
        add("alone", 3, 3);
        add("g", 5, 1);
        add("g", 6, 1);
        float[][] critic = {{0.4f, 0.3f}, {0.2f, 0.2f}, {0.2f, 0.2f}};
        float[][] values = GroupRootValues.of(batch, new float[][] {{0, 1}, {0, 1}, {0, -1}}, critic);

        assertThat(values[0]).containsExactly(0.4f, 0.3f);
        assertThat(values[1][0]).as("diverging at once: only the prompt is shared").isCloseTo(-1f, within(1e-6f));
        assertThat(values[1][1]).isEqualTo(0.2f);
        assertThat(critic[1][0]).as("the critic's own values are not overwritten").isEqualTo(0.2f);
        assertThat(GroupRootValues.rootedShare(batch)).isCloseTo(2.0 / 3, within(1e-9));
    }

    private void add(String group, int... response) {
        int i = batch.size();
        float[] zeros = new float[response.length];
        batch.add(new Experience(new RecordPosition("t", 0, i), "r" + i, new int[] {1, 2}, response, zeros, zeros,
                0, 0, 1f, group, 3));
    }
}
