package dev.flywheel.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.flywheel.learner.Algorithm;
import dev.flywheel.learner.LearnerConfig;
import dev.flywheel.runtime.topics.Topics;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DemoSettingsTest {

    private static LearnerConfig learnerFor(Algorithm algo) {
        return DemoSettings.defaults().learner(algo, Path.of("models"), Topics.defaults(), "fw.learner", 7);
    }

    @Test
    void ppoSteersItsKlTowardOneNatWhileTheOthersKeepTheLearnersTarget() {
        assertThat(learnerFor(Algorithm.PPO).targetKl()).isEqualTo(1.0);
        assertThat(learnerFor(Algorithm.GRPO).targetKl()).isEqualTo(6.0);
        assertThat(learnerFor(Algorithm.DPO).targetKl()).isEqualTo(6.0);
    }

    @Test
    void eachPolicyGradientAlgorithmTrainsAtItsOwnDemoLearningRate() {
        assertThat(learnerFor(Algorithm.PPO).policyGradient().learningRate()).isCloseTo(7e-5f, within(1e-9f));
        assertThat(learnerFor(Algorithm.GRPO).policyGradient().learningRate()).isCloseTo(5e-5f, within(1e-9f));
    }

    @Test
    void changingThePromptRateKeepsEveryOtherSetting() {
        DemoSettings faster = DemoSettings.defaults().withPromptRate(24);
        assertThat(faster.promptRate()).isEqualTo(24.0);
        assertThat(faster.withPromptRate(16)).isEqualTo(DemoSettings.defaults());
    }
}
