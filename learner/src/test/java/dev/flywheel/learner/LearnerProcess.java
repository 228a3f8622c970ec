package dev.flywheel.learner;

import dev.flywheel.learner.ppo.PolicyGradientConfig;
import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.runtime.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * A learner in a child JVM, for the kill-and-restart audit: args are bootstrap servers, model store, topic prefix.
 * It prints one line per published version and trains until it is killed.
 */
public final class LearnerProcess {

    private LearnerProcess() {
    }

    public static void main(String[] args) throws Exception {
        LearnerConfig config = config(Path.of(args[1]), Topics.withPrefix(args[2]), 0);
        Learner learner = Learner.start(KafkaSettings.of(args[0]), config, new SimpleMeterRegistry(),
                v -> System.out.println("published v" + v.getVersion()));
        System.out.println("started at v" + learner.status().version());
        learner.awaitStopped(java.time.Duration.ofHours(1));
    }

    /**
     * The learner every run of the audit uses. The stream was sampled by v0 before the run, so staleness is off
     * (with the default bound every rollout after v4 would be dropped as stale: absorbed, but not trained).
     */
    static LearnerConfig config(Path store, Topics topics, long maxSteps) {
        return LearnerConfig.builder(Algorithm.GRPO, store).topics(topics).consumerGroup(topics.prefix() + "learner")
                .batchSize(16).maxStaleness(Long.MAX_VALUE / 2).publishEvery(2).evaluateTaskSeed(OptionalLong.empty()).maxSteps(maxSteps)
                .policyGradient(PolicyGradientConfig.grouped("grpo").withSchedule(1, 1)).build();
    }
}
