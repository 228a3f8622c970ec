package dev.flywheel.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.List;

/**
 * r_φ: the SFT trunk plus a scalar head read at the last response token.
 *
 * <p>Train it by making {@link #model()} trainable, calling {@link #scores} with {@code training=true} on the chosen
 * and rejected batches, feeding both to {@code Losses.bradleyTerry}, and stepping an optimizer over {@link #model()}.
 */
public final class RewardModel implements AutoCloseable {

    private final TransformerModel model;

    private RewardModel(TransformerModel model) {
        if (!model.config().valueHead()) {
            throw new IllegalArgumentException("a reward model needs a value head; use RewardModel.initialisedFrom");
        }
        this.model = model;
    }

    /**
     * Starts from {@code sft}'s weights with a fresh scalar head from {@code seed}. The LM head is frozen (it plays
     * no part in the score); everything else is trainable.
     */
    public static RewardModel initialisedFrom(TransformerModel sft, long seed) {
        TransformerModel copy = sft.copyWithValueHead(seed);
        copy.setTrainable(name -> !name.startsWith("lm."));
        return new RewardModel(copy);
    }

    /** Takes ownership of a model with a value head (e.g. loaded from the store); frozen until made trainable. */
    public static RewardModel wrapping(TransformerModel model) {
        return new RewardModel(model);
    }

    /** The underlying model: its parameters for the optimizer and the store. */
    public TransformerModel model() {
        return model;
    }

    /** One score per (prompt, response): higher is better. */
    public float[] score(List<int[]> prompts, List<int[]> responses) {
        return model.lastTokenValues(prompts, responses);
    }

    /** Scores (B) as a tensor in {@code scope}; with {@code training} they carry gradients. */
    public NDArray scores(NDManager scope, ResponseBatch batch, boolean training) {
        ModelOutput out = model.forward(scope, batch.sequences(), training);
        return batch.lastTokenValues(out.values());
    }

    /** A batch of (prompt, response) pairs padded for this model. */
    public ResponseBatch responseBatch(List<int[]> prompts, List<int[]> responses) {
        return model.responseBatch(prompts, responses);
    }

    @Override
    public void close() {
        model.close();
    }
}
