package dev.flywheel.core.model;

import dev.flywheel.core.sampling.Sample;
import dev.flywheel.core.sampling.SamplingParams;
import dev.flywheel.core.tokenizer.Tokenizer;

import java.util.List;

/**
 * What the services need from a language model, in plain Java arrays (no tensors leave core).
 *
 * <p>Prompts are token ids that already start with BOS (see {@link Tokenizer#encodePrompt}). Implement this to
 * bring your own policy (e.g. a TorchScript export); {@link TransformerModel} is the built-in one.
 */
public interface Policy extends AutoCloseable {

    /** The tokenizer the policy was trained with. */
    Tokenizer tokenizer();

    /** Longest prompt + response, in tokens. */
    int context();

    /**
     * One sampled response per prompt. {@link Sample#logProbs()} holds, per generated token, its log-probability
     * under {@code log_softmax(logits / temperature)} over the full vocabulary (before top-k / top-p truncation),
     * exactly what {@link #logProbs} returns for the same tokens and temperature.
     */
    List<Sample> sample(List<int[]> prompts, SamplingParams params);

    /** Per-token log-probabilities of each response given its prompt, under {@code log_softmax(logits / temperature)}. */
    float[][] logProbs(List<int[]> prompts, List<int[]> responses, float temperature);

    /** Per-token value estimates (the state before each response token); only for policies with a value head. */
    default float[][] values(List<int[]> prompts, List<int[]> responses) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no value head");
    }

    /** Releases native memory. */
    @Override
    void close();
}
