package dev.flywheel.learner;

import dev.flywheel.core.bootstrap.BootstrapOptions;
import dev.flywheel.learner.dpo.PreferenceConfig;
import dev.flywheel.learner.experience.Experience;
import dev.flywheel.learner.ppo.PolicyGradientConfig;
import dev.flywheel.learner.publish.GuardBounds;
import dev.flywheel.runtime.topics.Topics;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;

/** Fluent builder of {@link LearnerConfig}; the defaults suit the default task's small models on a laptop. */
public final class LearnerConfigBuilder {
    private final Algorithm algorithm;
    private final Path modelStore;
    private Topics topics = Topics.defaults();
    private String consumerGroup;
    private String device = "cpu";
    private int batchSize = 64;
    private int publishEvery = 10;
    private long maxStaleness = 4;
    private long groupWaitRecords = 1000;
    private double initialBeta = 0.05;
    private double targetKl = 6.0;
    private GuardBounds guards = GuardBounds.defaults();
    private PolicyGradientConfig policyGradient;
    private PreferenceConfig preference;
    private boolean rmPairs;
    private String checkpointName;
    private OptionalLong evaluateTaskSeed = OptionalLong.of(BootstrapOptions.SHIPPED_SEED);
    private boolean fromLatest;
    private long maxSteps;
    private UnaryOperator<List<Experience>> experienceHook = UnaryOperator.identity();

    LearnerConfigBuilder(Algorithm algorithm, Path modelStore) {
        this.algorithm = algorithm;
        this.modelStore = modelStore;
        this.policyGradient = switch (algorithm) {
            case PPO -> PolicyGradientConfig.ppo();
            case GRPO -> PolicyGradientConfig.grouped("grpo");
            default -> PolicyGradientConfig.grouped("rloo");
        };
        this.preference = switch (algorithm) {
            case IPO -> PreferenceConfig.ipo();
            case RM -> PreferenceConfig.rewardModel();
            default -> PreferenceConfig.dpo();
        };
    }

    /** The topic catalogue (default prefix {@code fw.}). */
    public LearnerConfigBuilder topics(Topics t) {
        this.topics = t;
        return this;
    }

    /** The group for lag monitoring (default {@code flywheel-learner}, {@code flywheel-learner-rm} for RM). */
    public LearnerConfigBuilder consumerGroup(String group) {
        this.consumerGroup = group;
        return this;
    }

    /** {@code cpu} (default) or {@code gpu[:N]}. */
    public LearnerConfigBuilder device(String d) {
        this.device = d;
        return this;
    }

    /** Examples per batch (default 64). */
    public LearnerConfigBuilder batchSize(int n) {
        this.batchSize = n;
        return this;
    }

    /** Optimizer steps between published versions (default 10). */
    public LearnerConfigBuilder publishEvery(int steps) {
        this.publishEvery = steps;
        return this;
    }

    /** Versions a rollout may lag before it is dropped (default 4). */
    public LearnerConfigBuilder maxStaleness(long versions) {
        this.maxStaleness = versions;
        return this;
    }

    /** Records an incomplete group may wait (default 1,000). */
    public LearnerConfigBuilder groupWaitRecords(long records) {
        this.groupWaitRecords = records;
        return this;
    }

    /** Initial KL coefficient β (default 0.05). */
    public LearnerConfigBuilder initialBeta(double beta) {
        this.initialBeta = beta;
        return this;
    }

    /** Sequence KL target of the adaptive controller, 0 for a fixed β (default 6 nats). */
    public LearnerConfigBuilder targetKl(double kl) {
        this.targetKl = kl;
        return this;
    }

    /** Publish guards. */
    public LearnerConfigBuilder guards(GuardBounds g) {
        this.guards = g;
        return this;
    }

    /** PPO / GRPO / RLOO settings. */
    public LearnerConfigBuilder policyGradient(PolicyGradientConfig c) {
        this.policyGradient = c;
        return this;
    }

    /** DPO / IPO / RM settings. */
    public LearnerConfigBuilder preference(PreferenceConfig c) {
        this.preference = c;
        return this;
    }

    /** DPO / IPO also train on best-vs-worst pairs of RM-scored groups. */
    public LearnerConfigBuilder rmPairs(boolean on) {
        this.rmPairs = on;
        return this;
    }

    /** The checkpoint's name (default {@code <model>-<algo>}). */
    public LearnerConfigBuilder checkpointName(String name) {
        this.checkpointName = name;
        return this;
    }

    /** Grade published policies on the default task with this seed, or not at all when empty. */
    public LearnerConfigBuilder evaluateTaskSeed(OptionalLong seed) {
        this.evaluateTaskSeed = seed;
        return this;
    }

    /** On a first start, begin at the end of the input topics. */
    public LearnerConfigBuilder fromLatest(boolean latest) {
        this.fromLatest = latest;
        return this;
    }

    /** Stop after this many optimizer steps in this run (default 0: never). */
    public LearnerConfigBuilder maxSteps(long steps) {
        this.maxSteps = steps;
        return this;
    }

    /** Test hook: rewrite each policy-gradient batch before it is trained (e.g. inject a NaN). */
    public LearnerConfigBuilder experienceHook(UnaryOperator<List<Experience>> hook) {
        this.experienceHook = hook;
        return this;
    }

    /** The configuration. */
    public LearnerConfig build() {
        String group = consumerGroup != null ? consumerGroup
                : algorithm == Algorithm.RM ? "flywheel-learner-rm" : "flywheel-learner";
        String name = checkpointName != null ? checkpointName : algorithm.modelName() + "-" + algorithm.flag();
        return new LearnerConfig(algorithm, topics, group, modelStore, device, batchSize, publishEvery, maxStaleness,
                groupWaitRecords, initialBeta, targetKl, guards, policyGradient, preference, rmPairs, name,
                evaluateTaskSeed, fromLatest, maxSteps, experienceHook);
    }
}
