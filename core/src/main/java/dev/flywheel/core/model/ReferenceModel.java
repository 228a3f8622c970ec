package dev.flywheel.core.model;

import ai.djl.ndarray.NDManager;
import dev.flywheel.core.sampling.Sample;
import dev.flywheel.core.sampling.SamplingParams;
import dev.flywheel.core.tokenizer.Tokenizer;

import java.util.List;

/**
 * π_ref: a frozen copy of the SFT policy. It owns its own weights (later training of the policy cannot reach them)
 * and exposes only inference, so nothing can compute gradients through it or update it.
 */
public final class ReferenceModel implements Policy {

    private final TransformerModel frozen;

    private ReferenceModel(TransformerModel frozen) {
        this.frozen = frozen;
        frozen.setTrainable(false);
    }

    /** Copies {@code sft}'s current weights; {@code sft} stays usable and independent. */
    public static ReferenceModel frozenCopyOf(TransformerModel sft) {
        return new ReferenceModel(sft.copy());
    }

    /** Takes ownership of {@code model} (e.g. just loaded from the store) and freezes it. */
    public static ReferenceModel wrapping(TransformerModel model) {
        return new ReferenceModel(model);
    }

    /** The network's shape. */
    public ModelConfig config() {
        return frozen.config();
    }

    @Override
    public Tokenizer tokenizer() {
        return frozen.tokenizer();
    }

    @Override
    public int context() {
        return frozen.context();
    }

    @Override
    public List<Sample> sample(List<int[]> prompts, SamplingParams params) {
        return frozen.sample(prompts, params);
    }

    @Override
    public float[][] logProbs(List<int[]> prompts, List<int[]> responses, float temperature) {
        return frozen.logProbs(prompts, responses, temperature);
    }

    /** Inference-only forward for trainers (e.g. DPO's reference log-probs), arrays in {@code scope}. */
    public ModelOutput forward(NDManager scope, TokenBatch batch) {
        return frozen.forward(scope, batch, false);
    }

    /** A scope on the reference's device, for {@link #forward}. */
    public NDManager newScope() {
        return frozen.newScope();
    }

    /** The weights, for saving to the model store. */
    public List<NamedTensor> tensors() {
        return frozen.tensors();
    }

    /** Arrays alive in the reference's managers (leak checks). */
    public int liveArrayCount() {
        return frozen.liveArrayCount();
    }

    @Override
    public void close() {
        frozen.close();
    }
}
