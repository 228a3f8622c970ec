package dev.flywheel.learner.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.core.model.NamedTensor;
import dev.flywheel.learner.checkpoint.LearnerState.IntervalBaseline;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PublishGuardsTest {
    private static final List<NamedTensor> GOOD = List.of(new NamedTensor("w", new long[] {2}, new float[] {1, 2}));
    private final PublishGuards guards = new PublishGuards(new GuardBounds(5.0, 1.0, 0.5));

    private static IntervalSummary interval(boolean finite, double reward, double kl, double length) {
        return new IntervalSummary(5, 10, finite, 1000,
                Map.of("reward_mean", reward, "kl", kl, "response_length", length));
    }

    @Test
    void passesAHealthyInterval() {
        assertThat(guards.check(interval(true, 0.5, 1.0, 6), GOOD,
                Optional.of(new IntervalBaseline(0.4, 0.8, 6))).passed()).isTrue();
    }

    @Test
    void stopsAVersionWhoseStepsHadANonFiniteLoss() {
        GuardVerdict v = guards.check(interval(false, 0.5, 1.0, 6), GOOD, Optional.empty());
        assertThat(v.guards()).containsExactly("non_finite");
    }

    @Test
    void stopsAVersionWithANaNWeight() {
        List<NamedTensor> bad = List.of(new NamedTensor("layer0.w", new long[] {2}, new float[] {1, Float.NaN}));
        GuardVerdict v = guards.check(interval(true, 0.5, 1.0, 6), bad, Optional.empty());
        assertThat(v.failures()).singleElement().asString().contains("layer0.w");
    }

    @Test
    void stopsAVersionTooFarFromTheReference() {
        GuardVerdict v = guards.check(interval(true, 0.5, 5.5, 6), GOOD, Optional.empty());
        assertThat(v.guards()).containsExactly("max_kl");
        assertThat(v.failures().get(0)).contains("5.500").contains("--max-kl");
    }

    @Test
    void flagsRewardRisingWhileKlJumpsAsRewardHacking() {
        GuardVerdict v = guards.check(interval(true, 0.9, 3.0, 6), GOOD,
                Optional.of(new IntervalBaseline(0.4, 1.0, 6)));
        assertThat(v.guards()).containsExactly("reward_hacking");
    }

    @Test
    void flagsRewardRisingWhileTheResponseLengthShiftsAsRewardHacking() {
        GuardVerdict v = guards.check(interval(true, 0.9, 1.0, 12), GOOD,
                Optional.of(new IntervalBaseline(0.4, 1.0, 6)));
        assertThat(v.guards()).containsExactly("reward_hacking");
    }

    @Test
    void aKlJumpWithAFallingRewardIsNotRewardHacking() {
        assertThat(guards.check(interval(true, 0.3, 3.0, 6), GOOD,
                Optional.of(new IntervalBaseline(0.4, 1.0, 6))).passed()).isTrue();
    }
}
