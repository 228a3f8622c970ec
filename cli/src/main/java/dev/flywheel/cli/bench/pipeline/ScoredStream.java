package dev.flywheel.cli.bench.pipeline;

import ai.djl.Device;
import dev.flywheel.core.bootstrap.Bootstrap;
import dev.flywheel.core.bootstrap.BootstrapOptions;
import dev.flywheel.core.model.ReferenceModel;
import dev.flywheel.core.model.RewardModel;
import dev.flywheel.core.sampling.SamplingParams;
import dev.flywheel.core.store.ModelStore;
import dev.flywheel.feedback.simulate.PromptFeed;
import dev.flywheel.feedback.simulate.SimulationSettings;
import dev.flywheel.generator.batching.RolloutSampler;
import dev.flywheel.generator.swap.LoadedPolicy;
import dev.flywheel.generator.swap.PolicyLoader;
import dev.flywheel.schemas.Prompt;
import dev.flywheel.schemas.Rollout;
import dev.flywheel.schemas.ScoredRollout;
import dev.flywheel.schemas.serde.AvroSerdes;
import dev.flywheel.scorer.reward.RewardMode;
import dev.flywheel.scorer.reward.RewardRecipe;
import dev.flywheel.scorer.scoring.ModelsInUse;
import dev.flywheel.scorer.scoring.RolloutScorer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The stream both sides of the pipeline benchmark train on: default-task prompts from the simulated users' feed,
 * sampled in groups by the generator's {@link RolloutSampler} from the shipped policy-v0 and scored by the scorer's
 * {@link RolloutScorer} (judge reward, reference log-probs, KL), then encoded once as the scorer sends them.
 *
 * @param topic   the scored-rollout topic the values were encoded for
 * @param keys    record keys (prompt ids, as the scorer keys them)
 * @param values  Avro single-object encoded {@link ScoredRollout}s
 * @param groupSize samples per prompt
 */
public record ScoredStream(String topic, List<String> keys, List<byte[]> values, int groupSize) {

    /** Reference log-probs and KL are computed with the learner's default β; it does not change the work. */
    private static final double BETA = 0.05;

    /** Records in the stream. */
    public int size() {
        return values.size();
    }

    /**
     * Samples {@code groups} prompts × {@code groupSize} responses of at most {@code maxNewTokens} tokens and scores
     * them; {@code progress} hears the groups done so far.
     */
    public static ScoredStream sample(ModelStore store, String topic, int groups, int groupSize, int maxNewTokens,
                                      long seed, IntConsumer progress) {
        PromptFeed prompts = new PromptFeed(SimulationSettings.defaults("bench", seed, BootstrapOptions.SHIPPED_SEED));
        RolloutSampler sampler = new RolloutSampler(SamplingParams.of(maxNewTokens, seed), groupSize);
        RolloutScorer scorer = new RolloutScorer(RewardRecipe.of(RewardMode.JUDGE));
        Serializer<ScoredRollout> serializer = AvroSerdes.scoredRollout().serializer();
        List<String> keys = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        try (LoadedPolicy policy = new PolicyLoader(store, Device.cpu()).loadInitial(Bootstrap.POLICY_REF);
             ReferenceModel reference = ReferenceModel.wrapping(store.loadRef(Bootstrap.REFERENCE_REF)
                     .toModel(Device.cpu()));
             RewardModel rewardModel = RewardModel.wrapping(store.loadRef(Bootstrap.REWARD_MODEL_REF)
                     .toModel(Device.cpu()))) {
            ModelsInUse models = new ModelsInUse(rewardModel, 0, reference, 0, BETA);
            for (int g = 0; g < groups; g++) {
                Prompt prompt = prompts.next(Instant.now());
                int[] ids = policy.policy().tokenizer().encodePrompt(prompt.getText());
                List<Rollout> rollouts = sampler.sample(policy, prompt, ids);
                for (ScoredRollout scored : scorer.score(rollouts, models, Instant.now())) {
                    keys.add(scored.getPromptId());
                    values.add(serializer.serialize(topic, scored));
                }
                progress.accept(g + 1);
            }
        }
        return new ScoredStream(topic, List.copyOf(keys), List.copyOf(values), groupSize);
    }
}
