package dev.flywheel.learner.session;

import ai.djl.Device;
import dev.flywheel.core.loss.KlController;
import dev.flywheel.core.model.ReferenceModel;
import dev.flywheel.core.model.RewardModel;
import dev.flywheel.core.model.TransformerModel;
import dev.flywheel.core.store.ModelStore;
import dev.flywheel.learner.Algorithm;
import dev.flywheel.learner.LearnerConfig;
import dev.flywheel.learner.dpo.PreferenceTrainer;
import dev.flywheel.learner.experience.Experience;
import dev.flywheel.learner.experience.ExperienceDecoder;
import dev.flywheel.learner.experience.GroupAssembler;
import dev.flywheel.learner.experience.PreferenceExample;
import dev.flywheel.learner.feed.ExampleFeed;
import dev.flywheel.learner.feed.PreferenceFeed;
import dev.flywheel.learner.feed.RankedPairFeed;
import dev.flywheel.learner.feed.RolloutFeed;
import dev.flywheel.learner.metrics.LearnerMetrics;
import dev.flywheel.learner.ppo.PolicyGradientTrainer;
import dev.flywheel.learner.rm.RewardModelTrainer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/** Builds the trainer and feeds an algorithm needs around a loaded model. */
final class SessionFactory {

    /** Samples over which the adaptive KL controller closes its error (Ziegler et al.'s horizon). */
    private static final long KL_HORIZON = 10_000;

    private SessionFactory() {
    }

    /** The parts for {@code config.algorithm()}, taking ownership of {@code model}. */
    static SessionParts<?> parts(LearnerConfig config, ModelStore store, Device device, TransformerModel model,
                                 double beta, LongSupplier version, LearnerMetrics metrics) {
        ExperienceDecoder decoder = new ExperienceDecoder(model.config().vocabSize(), model.config().context());
        Algorithm algo = config.algorithm();
        if (algo.policyGradient()) {
            PolicyGradientTrainer trainer = PolicyGradientTrainer.of(model, config.policyGradient(),
                    b -> config.targetKl() > 0 ? KlController.adaptive(b, config.targetKl(), KL_HORIZON)
                            : KlController.fixed(b), beta);
            GroupAssembler groups = algo == Algorithm.PPO ? null : new GroupAssembler(config.groupWaitRecords());
            Map<String, ExampleFeed<Experience>> feeds = Map.of(config.topics().scoredRollouts().name(),
                    new RolloutFeed(decoder, groups, version, config.maxStaleness(), metrics::staleness));
            return new SessionParts<>(trainer, feeds, config.experienceHook());
        }
        Map<String, ExampleFeed<PreferenceExample>> feeds = new LinkedHashMap<>();
        feeds.put(config.topics().preferences().name(), new PreferenceFeed(decoder, algo == Algorithm.RM));
        if (algo == Algorithm.RM) {
            return new SessionParts<>(RewardModelTrainer.of(RewardModel.wrapping(model), config.preference()), feeds,
                    UnaryOperator.identity());
        }
        if (config.rmPairs()) {
            feeds.put(config.topics().scoredRollouts().name(), new RankedPairFeed(new RolloutFeed(decoder,
                    new GroupAssembler(config.groupWaitRecords()), version, config.maxStaleness(),
                    metrics::staleness)));
        }
        ReferenceModel reference = ReferenceModel.wrapping(store.loadRef("reference").toModel(device));
        return new SessionParts<>(PreferenceTrainer.of(model, reference, config.preference()), feeds,
                UnaryOperator.identity());
    }

    /** The store ref a learner of {@code algo} starts from when nothing was published or checkpointed. */
    static String initialRef(Algorithm algo) {
        return algo == Algorithm.RM ? "reward-model" : "policy-v0";
    }
}
