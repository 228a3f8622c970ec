package dev.flywheel.learner;

import dev.flywheel.learner.dpo.PreferenceConfig;
import dev.flywheel.learner.experience.Experience;
import dev.flywheel.learner.ppo.PolicyGradientConfig;
import dev.flywheel.learner.publish.GuardBounds;
import dev.flywheel.runtime.topics.Topics;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;

/**
 * How a learner runs (DESIGN.md §4 hyper-parameters plus the service settings).
 *
 * @param algorithm        what to train
 * @param topics           the topic catalogue
 * @param consumerGroup    group whose committed offsets show the learner's lag (never used to position it)
 * @param modelStore       model store directory (bootstrap refs, published versions, checkpoints)
 * @param device           {@code cpu} or {@code gpu[:N]}
 * @param batchSize        examples per batch (rollouts, or pairs)
 * @param publishEvery     optimizer steps between published versions
 * @param maxStaleness     most versions a rollout's policy may be behind the learner's before it is dropped
 * @param groupWaitRecords records an incomplete GRPO / RLOO group may wait for its last sample
 * @param initialBeta      KL coefficient at start
 * @param targetKl         sequence KL (nats) the adaptive controller steers toward; 0 = fixed β
 * @param guards           publish guards
 * @param policyGradient   PPO / GRPO / RLOO settings
 * @param preference       DPO / IPO / RM settings
 * @param rmPairs          DPO / IPO also train on best-vs-worst pairs of each RM-scored group
 * @param checkpointName   the checkpoint file under the store's {@code learner/} folder
 * @param evaluateTaskSeed grade each published policy on the default task with this seed; empty = no grading
 * @param fromLatest       on a first start, begin at the end of the input topics rather than their beginning
 * @param maxSteps         stop after this many optimizer steps in this run (0 = run until closed)
 * @param experienceHook   test hook applied to each policy-gradient batch before training (identity normally)
 */
public record LearnerConfig(Algorithm algorithm, Topics topics, String consumerGroup, Path modelStore, String device,
                            int batchSize, int publishEvery, long maxStaleness, long groupWaitRecords,
                            double initialBeta, double targetKl, GuardBounds guards,
                            PolicyGradientConfig policyGradient, PreferenceConfig preference, boolean rmPairs,
                            String checkpointName, OptionalLong evaluateTaskSeed, boolean fromLatest, long maxSteps,
                            UnaryOperator<List<Experience>> experienceHook) {

    /** Validates the service settings and names the flag to fix. */
    public LearnerConfig {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(modelStore, "modelStore");
        require(batchSize >= 2, "--batch-size must be at least 2, got " + batchSize);
        require(publishEvery >= 1, "--publish-every must be at least 1 optimizer step, got " + publishEvery);
        require(maxStaleness >= 0, "--max-staleness must be >= 0 versions, got " + maxStaleness);
        require(groupWaitRecords >= 1, "--group-wait-records must be >= 1, got " + groupWaitRecords);
        require(initialBeta >= 0 && Double.isFinite(initialBeta), "--beta must be >= 0, got " + initialBeta);
        require(targetKl >= 0 && Double.isFinite(targetKl), "--target-kl must be >= 0 (0 = fixed beta), got "
                + targetKl);
        require(maxSteps >= 0, "--max-steps must be >= 0, got " + maxSteps);
    }

    /** Starts a configuration; every setting but the algorithm and the store has a default. */
    public static LearnerConfigBuilder builder(Algorithm algorithm, Path modelStore) {
        return new LearnerConfigBuilder(algorithm, modelStore);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
