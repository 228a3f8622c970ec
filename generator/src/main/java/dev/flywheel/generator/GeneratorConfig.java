package dev.flywheel.generator;

import dev.flywheel.core.sampling.SamplingParams;
import dev.flywheel.runtime.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a {@link Generator} is configured with; build it with {@link #builder(Path)}.
 *
 * @param instanceId        stable name of this generator instance: its transactional id and static group member id
 *                          derive from it, so a restarted instance fences its dead predecessor at once
 * @param consumerGroup     consumer group of the generators on the prompt topic
 * @param topics            topic catalogue (prefix)
 * @param modelStore        model store directory holding {@code policy-v0} and the published versions' blobs
 * @param device            {@code cpu} or {@code gpu[:N]}
 * @param modelName         the {@code PolicyVersion.model} this generator follows
 * @param batchSize         most prompts in one batch (one transaction, one policy version)
 * @param maxBatchDelay     longest a batch waits to fill up
 * @param samplesPerPrompt  responses per prompt (the group size n)
 * @param sampling          temperature, top-k, top-p, max new tokens; its seed is the base every prompt's seed mixes
 * @param maxStaleness      most versions the loaded policy may lag the newest published good one before prompts stop
 * @param maxDownstreamLag  lag (records) of {@code downstreamGroup} on {@code downstreamTopic} above which prompts
 *                          stop, resuming below half of it; 0 turns the bound off
 * @param downstreamGroup   consumer group whose lag is watched (the learner's)
 * @param downstreamTopic   topic whose lag is watched; {@code null} means the scored-rollout topic
 * @param lagCheckInterval  how often the downstream lag is measured
 * @param maxPrompts        stop after this many prompts have been handled; 0 runs until closed
 */
public record GeneratorConfig(String instanceId, String consumerGroup, Topics topics, Path modelStore, String device,
                              String modelName, int batchSize, Duration maxBatchDelay, int samplesPerPrompt,
                              SamplingParams sampling, int maxStaleness, long maxDownstreamLag,
                              String downstreamGroup, String downstreamTopic, Duration lagCheckInterval,
                              long maxPrompts) {

    /** Validates every setting, naming the CLI flag to fix. */
    public GeneratorConfig {
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(modelStore, "modelStore");
        Objects.requireNonNull(sampling, "sampling");
        Objects.requireNonNull(maxBatchDelay, "maxBatchDelay");
        Objects.requireNonNull(lagCheckInterval, "lagCheckInterval");
        requireName(instanceId, "--instance-id");
        requireName(consumerGroup, "--group");
        requireName(modelName, "--model-name");
        requireName(downstreamGroup, "--downstream-group");
        requireName(device, "--device");
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be at least 1, was " + batchSize);
        }
        if (maxBatchDelay.isNegative() || maxBatchDelay.isZero()) {
            throw new IllegalArgumentException("--max-batch-delay-ms must be positive, was " + maxBatchDelay.toMillis());
        }
        if (samplesPerPrompt < 1) {
            throw new IllegalArgumentException("--samples-per-prompt must be at least 1 (2 or more for GRPO/RLOO "
                    + "groups), was " + samplesPerPrompt);
        }
        if (maxStaleness < 0) {
            throw new IllegalArgumentException("--max-staleness must be 0 or more versions, was " + maxStaleness);
        }
        if (maxDownstreamLag < 0) {
            throw new IllegalArgumentException("--max-downstream-lag must be 0 (off) or a number of records, was "
                    + maxDownstreamLag);
        }
        if (lagCheckInterval.isNegative() || lagCheckInterval.isZero()) {
            throw new IllegalArgumentException("lag check interval must be positive, was " + lagCheckInterval);
        }
        if (maxPrompts < 0) {
            throw new IllegalArgumentException("--max-prompts must be 0 (run until stopped) or positive, was "
                    + maxPrompts);
        }
        if (downstreamTopic == null) {
            downstreamTopic = topics.scoredRollouts().name();
        }
    }

    /** Starts a configuration reading models from {@code modelStore}; every other setting has a default. */
    public static Builder builder(Path modelStore) {
        return new Builder(modelStore);
    }

    /** The producer's {@code transactional.id}: stable per instance so a restart fences the previous incarnation. */
    public String transactionalId() {
        return "flywheel-generator-" + instanceId;
    }

    /** Whether the downstream-lag bound is on. */
    public boolean boundsDownstreamLag() {
        return maxDownstreamLag > 0;
    }

    private static void requireName(String value, String flag) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(flag + " must not be empty");
        }
    }

    /** Fluent builder of {@link GeneratorConfig}; defaults suit the default task's small models. */
    public static final class Builder {
        private final Path modelStore;
        private String instanceId = "0";
        private String consumerGroup = "flywheel-generator";
        private Topics topics = Topics.defaults();
        private String device = "cpu";
        private String modelName = "policy";
        private int batchSize = 16;
        private Duration maxBatchDelay = Duration.ofMillis(50);
        private int samplesPerPrompt = 4;
        private SamplingParams sampling = SamplingParams.of(32, 0L);
        private int maxStaleness = 4;
        private long maxDownstreamLag = 10_000;
        private String downstreamGroup = "flywheel-learner";
        private String downstreamTopic;
        private Duration lagCheckInterval = Duration.ofSeconds(1);
        private long maxPrompts;

        private Builder(Path modelStore) {
            this.modelStore = modelStore;
        }

        /** Names this instance (default {@code 0}); two live generators must never share it. */
        public Builder instanceId(String id) {
            this.instanceId = id;
            return this;
        }

        /** The generators' consumer group on the prompt topic (default {@code flywheel-generator}). */
        public Builder consumerGroup(String group) {
            this.consumerGroup = group;
            return this;
        }

        /** The topic catalogue (default prefix {@code fw.}). */
        public Builder topics(Topics catalogue) {
            this.topics = catalogue;
            return this;
        }

        /** Where the policy runs: {@code cpu} (default) or {@code gpu[:N]}. */
        public Builder device(String option) {
            this.device = option;
            return this;
        }

        /** The model name followed on the policy-version topic (default {@code policy}). */
        public Builder modelName(String name) {
            this.modelName = name;
            return this;
        }

        /** Most prompts per batch and how long a batch waits to fill. */
        public Builder batches(int size, Duration maxDelay) {
            this.batchSize = size;
            this.maxBatchDelay = maxDelay;
            return this;
        }

        /** Responses per prompt (default 4). */
        public Builder samplesPerPrompt(int n) {
            this.samplesPerPrompt = n;
            return this;
        }

        /** Sampling parameters; their seed is the base seed mixed into every prompt's seed. */
        public Builder sampling(SamplingParams params) {
            this.sampling = params;
            return this;
        }

        /** Most versions the loaded policy may lag the newest good published one (default 4). */
        public Builder maxStaleness(int versions) {
            this.maxStaleness = versions;
            return this;
        }

        /** Pause above this downstream lag in records, resume below half; 0 turns it off (default 10,000). */
        public Builder maxDownstreamLag(long records) {
            this.maxDownstreamLag = records;
            return this;
        }

        /** Watch this group's lag (default {@code flywheel-learner}) on the scored-rollout topic. */
        public Builder downstreamGroup(String group) {
            this.downstreamGroup = group;
            return this;
        }

        /** Watch the lag on this topic instead of the scored-rollout topic. */
        public Builder downstreamTopic(String topic) {
            this.downstreamTopic = topic;
            return this;
        }

        /** How often the downstream lag is measured (default 1 s). */
        public Builder lagCheckInterval(Duration interval) {
            this.lagCheckInterval = interval;
            return this;
        }

        /** Stop after this many prompts (default 0: run until closed). */
        public Builder maxPrompts(long prompts) {
            this.maxPrompts = prompts;
            return this;
        }

        /** Validates and builds the configuration. */
        public GeneratorConfig build() {
            return new GeneratorConfig(instanceId, consumerGroup, topics, modelStore, device, modelName, batchSize,
                    maxBatchDelay, samplesPerPrompt, sampling, maxStaleness, maxDownstreamLag, downstreamGroup,
                    downstreamTopic, lagCheckInterval, maxPrompts);
        }
    }
}
