package dev.flywheel.generator.batching;

import dev.flywheel.core.model.Policy;
import dev.flywheel.core.sampling.Sample;
import dev.flywheel.core.sampling.SamplingParams;
import dev.flywheel.generator.swap.LoadedPolicy;
import dev.flywheel.schemas.FinishReason;
import dev.flywheel.schemas.Prompt;
import dev.flywheel.schemas.Rollout;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;

/**
 * Samples a prompt's group of n responses in one model call and turns each into a {@link Rollout}.
 *
 * <p>The group's rows are the same prompt, so there is no padding, and the call's seed comes from the prompt id
 * alone ({@link SampleSeeds}): a prompt's responses do not depend on which other prompts shared its batch. Row
 * {@code groupIndex} of {@code policy.sample(n copies of the prompt, sampling with seed)} reproduces a rollout.
 */
public final class RolloutSampler {
    private final SamplingParams sampling;
    private final int samplesPerPrompt;

    /** Draws {@code samplesPerPrompt} responses per prompt with {@code sampling} (its seed is the base seed). */
    public RolloutSampler(SamplingParams sampling, int samplesPerPrompt) {
        this.sampling = sampling;
        this.samplesPerPrompt = samplesPerPrompt;
    }

    /** The n rollouts of {@code prompt} (token ids {@code promptIds}) under {@code loaded}. */
    public List<Rollout> sample(LoadedPolicy loaded, Prompt prompt, int[] promptIds) {
        Policy policy = loaded.policy();
        long seed = SampleSeeds.forPrompt(sampling.seed(), prompt.getId());
        SamplingParams params = sampling.withSeed(seed);
        List<Sample> samples = policy.sample(Collections.nCopies(samplesPerPrompt, promptIds), params);
        List<Integer> promptTokens = boxed(promptIds);
        dev.flywheel.schemas.SamplingParams recorded = dev.flywheel.schemas.SamplingParams.newBuilder()
                .setTemperature(params.temperature()).setTopK(params.topK()).setTopP(params.topP())
                .setMaxNewTokens(params.maxNewTokens()).setSeed(seed).build();
        Instant now = Instant.now();
        int eos = policy.tokenizer().eosId();
        List<Rollout> rollouts = new ArrayList<>(samples.size());
        for (int i = 0; i < samples.size(); i++) {
            Sample sample = samples.get(i);
            List<Float> logProbs = new ArrayList<>(sample.logProbs().length);
            for (float lp : sample.logProbs()) {
                logProbs.add(lp);
            }
            rollouts.add(Rollout.newBuilder()
                    .setId(SampleSeeds.rolloutId(prompt.getId(), loaded.version(), i))
                    .setTs(now)
                    .setPromptId(prompt.getId())
                    .setTenant(prompt.getTenant())
                    .setPrompt(prompt.getText())
                    .setPromptTokenIds(promptTokens)
                    .setResponse(policy.tokenizer().decode(sample.tokens()))
                    .setResponseTokenIds(boxed(sample.tokens()))
                    .setBehaviourLogProbs(logProbs)
                    .setPolicyVersion(loaded.version())
                    .setSampling(recorded)
                    .setGroupId(SampleSeeds.groupId(prompt.getId(), loaded.version()))
                    .setGroupIndex(i)
                    .setGroupSize(samples.size())
                    .setFinishReason(sample.endsWith(eos) ? FinishReason.EOS : FinishReason.LENGTH)
                    .setMetadata(new HashMap<>(prompt.getMetadata()))
                    .build());
        }
        return rollouts;
    }

    private static List<Integer> boxed(int[] ids) {
        List<Integer> out = new ArrayList<>(ids.length);
        for (int id : ids) {
            out.add(id);
        }
        return out;
    }
}
