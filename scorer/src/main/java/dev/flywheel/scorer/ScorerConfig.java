package dev.flywheel.scorer;

import dev.flywheel.runtime.topics.Topics;
import dev.flywheel.scorer.reward.RewardRecipe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the scorer is configured with; build it with {@link #builder(Path)}.
 *
 * @param modelStore    the model store holding the {@code reward-model} and {@code reference} refs
 * @param topics        topic catalogue (prefix)
 * @param applicationId Kafka Streams application id: the consumer group, transactional ids and internal topic prefix
 * @param device        {@code cpu} or {@code gpu}
 * @param recipe        which reward is used and how it is combined and clipped
 * @param beta          KL coefficient used until a policy version carries one
 * @param batchSize     rollouts per model call (per input partition)
 * @param maxBatchDelay longest a buffered rollout waits for its batch to fill up (wall clock)
 * @param statsWindow   size of the tumbling window of the reward statistics
 * @param statsGrace    how long a statistics window waits for late records before it is published
 * @param stateDir      Kafka Streams state directory; empty for a temporary one
 */
public record ScorerConfig(Path modelStore, Topics topics, String applicationId, String device, RewardRecipe recipe,
                           double beta, int batchSize, Duration maxBatchDelay, Duration statsWindow,
                           Duration statsGrace, Optional<Path> stateDir) {

    /** Checks every value, naming the option to fix. */
    public ScorerConfig {
        Objects.requireNonNull(modelStore, "modelStore");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(recipe, "recipe");
        Objects.requireNonNull(stateDir, "stateDir");
        if (applicationId == null || !applicationId.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("--application-id '" + applicationId
                    + "' must be letters, digits, '.', '_' or '-' (it prefixes Kafka topic names)");
        }
        if (!Double.isFinite(beta) || beta < 0) {
            throw new IllegalArgumentException("--beta must be finite and >= 0, got " + beta);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be at least 1, got " + batchSize);
        }
        if (maxBatchDelay.isNegative() || maxBatchDelay.toMillis() < 1) {
            throw new IllegalArgumentException("--max-batch-delay-ms must be at least 1, got " + maxBatchDelay.toMillis());
        }
        if (statsWindow.toMillis() < 1 || statsGrace.isNegative()) {
            throw new IllegalArgumentException("the statistics window must be positive and its grace >= 0, got "
                    + statsWindow + " and " + statsGrace);
        }
    }

    /** A builder with defaults: prefix fw., application id flywheel-scorer, cpu, --reward rm, β 0.05, batches of 32. */
    public static Builder builder(Path modelStore) {
        return new Builder(modelStore);
    }

    /** The defaults of this config with some values changed. */
    public Builder toBuilder() {
        Builder b = new Builder(modelStore);
        b.topics = topics;
        b.applicationId = applicationId;
        b.device = device;
        b.recipe = recipe;
        b.beta = beta;
        b.batchSize = batchSize;
        b.maxBatchDelay = maxBatchDelay;
        b.statsWindow = statsWindow;
        b.statsGrace = statsGrace;
        b.stateDir = stateDir;
        return b;
    }

    /** Builds a {@link ScorerConfig}. */
    public static final class Builder {
        private final Path modelStore;
        private Topics topics = Topics.defaults();
        private String applicationId = "flywheel-scorer";
        private String device = "cpu";
        private RewardRecipe recipe = RewardRecipe.rewardModel();
        private double beta = 0.05;
        private int batchSize = 32;
        private Duration maxBatchDelay = Duration.ofMillis(50);
        private Duration statsWindow = Duration.ofSeconds(10);
        private Duration statsGrace = Duration.ofSeconds(2);
        private Optional<Path> stateDir = Optional.empty();

        private Builder(Path modelStore) {
            this.modelStore = modelStore;
        }

        /** The topic catalogue. */
        public Builder topics(Topics value) {
            topics = value;
            return this;
        }

        /** The Kafka Streams application id. */
        public Builder applicationId(String value) {
            applicationId = value;
            return this;
        }

        /** {@code cpu} or {@code gpu}. */
        public Builder device(String value) {
            device = value;
            return this;
        }

        /** The reward recipe. */
        public Builder reward(RewardRecipe value) {
            recipe = value;
            return this;
        }

        /** β until a policy version carries one. */
        public Builder beta(double value) {
            beta = value;
            return this;
        }

        /** Micro-batches of up to {@code size} rollouts, each waiting at most {@code maxDelay}. */
        public Builder batches(int size, Duration maxDelay) {
            batchSize = size;
            maxBatchDelay = maxDelay;
            return this;
        }

        /** Tumbling statistics windows of {@code size}, published {@code grace} after they end. */
        public Builder statsWindow(Duration size, Duration grace) {
            statsWindow = size;
            statsGrace = grace;
            return this;
        }

        /** Kafka Streams' state directory. */
        public Builder stateDir(Path value) {
            stateDir = Optional.of(value);
            return this;
        }

        /** The config. */
        public ScorerConfig build() {
            return new ScorerConfig(modelStore, topics, applicationId, device, recipe, beta, batchSize, maxBatchDelay,
                    statsWindow, statsGrace, stateDir);
        }
    }
}
