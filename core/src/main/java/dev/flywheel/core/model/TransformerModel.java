package dev.flywheel.core.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.flywheel.core.device.GradMode;
import dev.flywheel.core.sampling.Sample;
import dev.flywheel.core.sampling.Sampler;
import dev.flywheel.core.sampling.SamplingParams;
import dev.flywheel.core.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The built-in policy: a {@link TransformerLm} with its weights, tokenizer and device, owning one NDManager.
 *
 * <p>Two faces: the {@link Policy} methods take and return Java arrays (for services); {@link #forward} and
 * {@link #newScope} are the tensor-level API for trainers inside core. Parameters start frozen; call
 * {@link #setTrainable} before training. Safe to sample from several threads at once while nobody trains it.
 */
public final class TransformerModel implements Policy {

    private final ModelConfig config;
    private final Tokenizer tokenizer;
    private final NDManager manager;
    private final TransformerLm network;

    private TransformerModel(ModelConfig config, Tokenizer tokenizer, Device device) {
        if (config.vocabSize() != tokenizer.vocabSize()) {
            throw new IllegalArgumentException("model config has vocabSize " + config.vocabSize() + " but tokenizer "
                    + tokenizer.version() + " has " + tokenizer.vocabSize() + " ids; build the config from "
                    + "tokenizer.vocabSize()");
        }
        this.config = config;
        this.tokenizer = tokenizer;
        this.manager = NDManager.newBaseManager(device, "PyTorch");
        this.network = new TransformerLm(config);
    }

    /** A freshly initialised model; the same seed always gives bit-identical parameters. */
    public static TransformerModel create(ModelConfig config, Tokenizer tokenizer, long seed, Device device) {
        TransformerModel m = new TransformerModel(config, tokenizer, device);
        m.network.initialize(m.manager, seed);
        return m;
    }

    /** A model whose parameters are {@code tensors} (e.g. read from a checkpoint). */
    public static TransformerModel fromTensors(ModelConfig config, Tokenizer tokenizer, List<NamedTensor> tensors,
                                               Device device) {
        TransformerModel m = new TransformerModel(config, tokenizer, device);
        Map<String, NamedTensor> byName = new LinkedHashMap<>();
        tensors.forEach(t -> byName.put(t.name(), t));
        try {
            m.network.load(m.manager, byName);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
        return m;
    }

    /** An independent copy (own native memory) on the same device; starts frozen. */
    public TransformerModel copy() {
        return fromTensors(config, tokenizer, tensors(), device());
    }

    /**
     * A copy with a value head: trunk and LM head from this model, value head freshly drawn from {@code seed} (or
     * kept, if this model has one). This is how the reward model and the PPO critic start from the SFT weights.
     */
    public TransformerModel copyWithValueHead(long seed) {
        if (config.valueHead()) {
            return copy();
        }
        ModelConfig withHead = config.withValueHead(true);
        List<NamedTensor> tensors = new ArrayList<>(tensors());
        try (TransformerModel fresh = create(withHead, tokenizer, seed, device())) {
            for (NamedTensor t : fresh.tensors()) {
                if (t.name().startsWith("value.")) {
                    tensors.add(t);
                }
            }
        }
        return fromTensors(withHead, tokenizer, tensors, device());
    }

    /** The network's shape. */
    public ModelConfig config() {
        return config;
    }

    @Override
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public int context() {
        return config.context();
    }

    /** The device holding the parameters. */
    public Device device() {
        return manager.getDevice();
    }

    /** The DJL block (for code that wants the standard Block API). */
    public TransformerLm network() {
        return network;
    }

    /** A scope for one step's arrays: close it and everything the step allocated is freed. */
    public NDManager newScope() {
        return manager.newSubManager();
    }

    /** Parameters by stable checkpoint name, in a fixed order. */
    public Map<String, Parameter> parameters() {
        return network.namedParameters();
    }

    /** Makes every parameter trainable (or frozen). */
    public void setTrainable(boolean trainable) {
        setTrainable(name -> trainable);
    }

    /** Makes exactly the parameters whose names match trainable; the rest are frozen. */
    public void setTrainable(Predicate<String> which) {
        parameters().forEach((name, p) -> p.freeze(!which.test(name)));
    }

    /** Whether any parameter is trainable. */
    public boolean isTrainable() {
        return parameters().values().stream().anyMatch(Parameter::requiresGradient);
    }

    /**
     * One forward pass over a padded batch, arrays in {@code scope}. With {@code training} the pass records the
     * autograd graph (call it inside a GradientCollector); without, autograd is off for the pass.
     */
    public ModelOutput forward(NDManager scope, TokenBatch batch, boolean training) {
        if (training && !isTrainable()) {
            throw new IllegalStateException("forward(training=true) on a frozen model; call setTrainable(true) "
                    + "first (a ReferenceModel can never be trained)");
        }
        batch.requireIdsBelow(config.vocabSize());
        return training ? run(scope, batch, true) : GradMode.disabledDuring(() -> run(scope, batch, false));
    }

    private ModelOutput run(NDManager scope, TokenBatch batch, boolean training) {
        ParameterStore ps = new ParameterStore(scope, false);
        NDArray h = network.hidden(ps, batch.tokens(scope), batch.positions(scope), batch.attentionBias(scope),
                null, training);
        NDArray logits = network.logits(ps, h, training);
        NDArray values = config.valueHead() ? network.values(ps, h, training) : null;
        return new ModelOutput(logits, values);
    }

    /** Final hidden states for raw inputs, optionally extending a KV cache (inference only; used by the sampler). */
    public NDArray hidden(NDManager scope, NDArray tokens, NDArray positions, NDArray bias, KvCache cache) {
        return GradMode.disabledDuring(
                () -> network.hidden(new ParameterStore(scope, false), tokens, positions, bias, cache, false));
    }

    /** LM-head logits of hidden states (inference only). */
    public NDArray logits(NDManager scope, NDArray hidden) {
        return GradMode.disabledDuring(() -> network.logits(new ParameterStore(scope, false), hidden, false));
    }

    /** A batch of (prompt, response) pairs padded for this model. */
    public ResponseBatch responseBatch(List<int[]> prompts, List<int[]> responses) {
        return ResponseBatch.of(prompts, responses, tokenizer.padId(), config.context());
    }

    @Override
    public List<Sample> sample(List<int[]> prompts, SamplingParams params) {
        return sample(prompts, params, true);
    }

    /** As {@link #sample(List, SamplingParams)}, choosing whether to use the KV cache. */
    public List<Sample> sample(List<int[]> prompts, SamplingParams params, boolean useKvCache) {
        Sampler sampler = useKvCache ? Sampler.withKvCache(this) : Sampler.withoutKvCache(this);
        return sampler.sample(prompts, params);
    }

    @Override
    public float[][] logProbs(List<int[]> prompts, List<int[]> responses, float temperature) {
        if (prompts.isEmpty() && responses.isEmpty()) {
            return new float[0][];
        }
        ResponseBatch batch = responseBatch(prompts, responses);
        try (NDManager scope = newScope()) {
            ModelOutput out = forward(scope, batch.sequences(), false);
            return batch.responseRows(batch.tokenLogProbs(out.logits(), temperature));
        }
    }

    @Override
    public float[][] values(List<int[]> prompts, List<int[]> responses) {
        requireValueHead();
        if (prompts.isEmpty() && responses.isEmpty()) {
            return new float[0][];
        }
        ResponseBatch batch = responseBatch(prompts, responses);
        try (NDManager scope = newScope()) {
            ModelOutput out = forward(scope, batch.sequences(), false);
            return batch.responseRows(batch.alignedValues(out.values()));
        }
    }

    /** Value-head output at each sequence's last token: the reward model's score. */
    public float[] lastTokenValues(List<int[]> prompts, List<int[]> responses) {
        requireValueHead();
        if (prompts.isEmpty() && responses.isEmpty()) {
            return new float[0];
        }
        ResponseBatch batch = responseBatch(prompts, responses);
        try (NDManager scope = newScope()) {
            ModelOutput out = forward(scope, batch.sequences(), false);
            return batch.lastTokenValues(out.values()).toType(DataType.FLOAT32, false).toFloatArray();
        }
    }

    private void requireValueHead() {
        if (!config.valueHead()) {
            throw new UnsupportedOperationException("this model has no value head; create it with "
                    + "ModelConfig.withValueHead(true) or copyWithValueHead(seed)");
        }
    }

    /** Every parameter's values, in the stable checkpoint order. */
    public List<NamedTensor> tensors() {
        List<NamedTensor> out = new ArrayList<>();
        parameters().forEach((name, p) -> {
            NDArray a = p.getArray();
            out.add(new NamedTensor(name, a.getShape().getShape(), a.toFloatArray()));
        });
        return out;
    }

    /**
     * Overwrites every parameter with {@code tensors} in place (same names and shapes as {@link #tensors()}), keeping
     * the parameters' identity and trainability, so an optimizer over this model stays valid: how a learner rolls
     * back to its last good weights.
     */
    public void restore(List<NamedTensor> tensors) {
        Map<String, Parameter> params = parameters();
        Map<String, NamedTensor> byName = new java.util.HashMap<>();
        tensors.forEach(t -> byName.put(t.name(), t));
        if (!params.keySet().equals(byName.keySet())) {
            throw new IllegalArgumentException("weights " + byName.keySet() + " do not match this model's "
                    + params.keySet());
        }
        GradMode.disabledDuring(() -> {
            try (NDManager scope = newScope()) {
                params.forEach((name, p) -> {
                    NamedTensor t = byName.get(name);
                    NDArray target = p.getArray();
                    if (!target.getShape().equals(new Shape(t.shape()))) {
                        throw new IllegalArgumentException("weight " + name + " has shape " + new Shape(t.shape())
                                + " but the model's is " + target.getShape());
                    }
                    scope.create(t.values(), target.getShape()).copyTo(target);
                });
            }
            return null;
        });
    }

    /** Arrays currently alive in this model's managers (parameters, gradients, open scopes): for leak checks. */
    public int liveArrayCount() {
        return manager.getManagedArrays().size();
    }

    @Override
    public void close() {
        manager.close();
    }
}
