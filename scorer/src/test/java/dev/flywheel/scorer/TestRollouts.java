package dev.flywheel.scorer;

import ai.djl.Device;
import dev.flywheel.core.bootstrap.Bootstrap;
import dev.flywheel.core.bootstrap.BootstrapListener;
import dev.flywheel.core.bootstrap.BootstrapOptions;
import dev.flywheel.core.model.Policy;
import dev.flywheel.core.model.ReferenceModel;
import dev.flywheel.core.model.RewardModel;
import dev.flywheel.core.sampling.Sample;
import dev.flywheel.core.sampling.SamplingParams;
import dev.flywheel.core.store.ModelStore;
import dev.flywheel.core.task.DefaultTask;
import dev.flywheel.core.task.Question;
import dev.flywheel.core.task.TrafficMix;
import dev.flywheel.schemas.FinishReason;
import dev.flywheel.schemas.Rollout;
import dev.flywheel.schemas.serde.TrustedSchemaPackage;
import dev.flywheel.scorer.scoring.ModelsInUse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A quick-bootstrapped model store, its models, and rollouts sampled from the default task's prompts. */
public final class TestRollouts {
    /** Seed of the quick bootstrap and of the task's questions. */
    public static final long SEED = 7;

    static {
        // Copying a Rollout with newBuilder(rollout) deep-copies its nested records, which Avro only allows once the
        // schemas package is trusted; the serdes trust it, but none may have been created yet in this JVM.
        TrustedSchemaPackage.ensureTrusted();
    }

    private TestRollouts() {
    }

    /** Runs the quick bootstrap into {@code dir} (about a second) and opens the store. */
    public static ModelStore bootstrap(Path dir) {
        Bootstrap.run(BootstrapOptions.quick(dir, SEED), BootstrapListener.silent());
        return ModelStore.open(dir);
    }

    /** The store's reward model and reference as version 0, with {@code beta}; close both models after use. */
    public static ModelsInUse models(ModelStore store, double beta) {
        RewardModel rm = RewardModel.wrapping(store.loadRef(Bootstrap.REWARD_MODEL_REF).toModel(Device.cpu()));
        ReferenceModel ref = ReferenceModel.wrapping(store.loadRef(Bootstrap.REFERENCE_REF).toModel(Device.cpu()));
        return new ModelsInUse(rm, 0, ref, 0, beta);
    }

    /** Closes the models of {@code models}. */
    public static void close(ModelsInUse models) {
        models.rewardModel().close();
        models.reference().close();
    }

    /** The default task's questions {@code count} at a time, drawn with {@code seed}. */
    public static List<Question> questions(int count, long seed) {
        return DefaultTask.withSeed(SEED).questionSource(TrafficMix.DEFAULT, seed).take(count);
    }

    /**
     * {@code count} rollouts sampled by {@code policy} at {@code temperature}, ids {@code <prefix>-<i>}, whose behaviour
     * log-probs are the policy's own, each computed alone (no padding), as the generator records them.
     */
    public static List<Rollout> sampled(Policy policy, String prefix, int count, float temperature, long seed) {
        List<Question> questions = questions(count, seed);
        List<int[]> prompts = new ArrayList<>();
        for (Question q : questions) {
            prompts.add(policy.tokenizer().encodePrompt(q.prompt()));
        }
        List<Sample> samples = policy.sample(prompts, SamplingParams.of(12, seed).withTemperature(temperature));
        List<Rollout> rollouts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Question q = questions.get(i);
            int[] response = samples.get(i).tokens();
            if (response.length == 0) {
                response = new int[] {policy.tokenizer().eosId()};
            }
            rollouts.add(rollout(policy, prefix + "-" + i, q, prompts.get(i), response, temperature, 1));
        }
        return rollouts;
    }

    /** A rollout answering {@code question} with {@code responseText} (then EOS), behaviour log-probs from {@code policy}. */
    public static Rollout answering(Policy policy, String id, Question question, String responseText) {
        int[] prompt = policy.tokenizer().encodePrompt(question.prompt());
        int[] body = policy.tokenizer().encode(responseText);
        int[] response = java.util.Arrays.copyOf(body, body.length + 1);
        response[body.length] = policy.tokenizer().eosId();
        return rollout(policy, id, question, prompt, response, 1.0f, 1);
    }

    private static Rollout rollout(Policy policy, String id, Question q, int[] prompt, int[] response, float temperature,
                                   long policyVersion) {
        float[] logProbs = policy.logProbs(List.of(prompt), List.of(response), temperature)[0];
        List<Float> behaviour = new ArrayList<>();
        for (float lp : logProbs) {
            behaviour.add(lp);
        }
        return Rollout.newBuilder()
                .setId(id)
                .setTs(Instant.ofEpochMilli(1_700_000_000_000L))
                .setPromptId("p-" + id)
                .setTenant("test")
                .setPrompt(q.prompt())
                .setPromptTokenIds(boxed(prompt))
                .setResponse(policy.tokenizer().decode(response))
                .setResponseTokenIds(boxed(response))
                .setBehaviourLogProbs(behaviour)
                .setPolicyVersion(policyVersion)
                .setSampling(dev.flywheel.schemas.SamplingParams.newBuilder().setTemperature(temperature).setTopK(0)
                        .setTopP(1f).setMaxNewTokens(12).setSeed(0).build())
                .setGroupId("g-" + id)
                .setGroupIndex(0)
                .setGroupSize(1)
                .setFinishReason(FinishReason.EOS)
                .setMetadata(Map.of("task.kind", q.kind().name().toLowerCase(), "task.answer", q.answer()))
                .build();
    }

    private static List<Integer> boxed(int[] ids) {
        List<Integer> out = new ArrayList<>(ids.length);
        for (int id : ids) {
            out.add(id);
        }
        return out;
    }
}
