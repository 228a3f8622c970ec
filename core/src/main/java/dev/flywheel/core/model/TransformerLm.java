package dev.flywheel.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The decoder-only causal transformer as a DJL block: token + position embeddings, pre-LN decoder layers,
 * final LayerNorm, LM head and an optional scalar value head.
 *
 * <p>{@code forward} takes {@code [tokens (B,L) int64, positions (B,L) int64, attentionBias (B,1,L,L)]} and returns
 * {@code [logits (B,L,V)]} or {@code [logits, values (B,L)]}.
 */
public final class TransformerLm extends AbstractBlock {

    private final ModelConfig config;
    private final List<ParameterSpec> specs = new ArrayList<>();
    private final List<DecoderLayer> layers = new ArrayList<>();
    private final Parameter tokenEmbedding;
    private final Parameter positionEmbedding;
    private final Parameter finalGamma;
    private final Parameter finalBeta;
    private final Parameter lmWeight;
    private final Parameter lmBias;
    private final Parameter valueWeight;
    private final Parameter valueBias;

    /** An uninitialised network of the given shape (see {@link #initialize(NDManager, long)}). */
    public TransformerLm(ModelConfig config) {
        this.config = config;
        int d = config.dModel();
        tokenEmbedding = param("tok.embedding", Parameter.Type.WEIGHT, new Shape(config.vocabSize(), d), 0.02f);
        positionEmbedding = param("pos.embedding", Parameter.Type.WEIGHT, new Shape(config.context(), d), 0.01f);
        for (int i = 0; i < config.layers(); i++) {
            layers.add(addChildBlock("layer" + i, new DecoderLayer(config, i)));
        }
        finalGamma = param("lnf.gamma", Parameter.Type.GAMMA, new Shape(d), ParameterSpec.Init.ONES, 0f);
        finalBeta = param("lnf.beta", Parameter.Type.BETA, new Shape(d), ParameterSpec.Init.ZEROS, 0f);
        lmWeight = param("lm.weight", Parameter.Type.WEIGHT, new Shape(config.vocabSize(), d), 0.02f);
        lmBias = param("lm.bias", Parameter.Type.BIAS, new Shape(config.vocabSize()), ParameterSpec.Init.ZEROS, 0f);
        if (config.valueHead()) {
            valueWeight = param("value.weight", Parameter.Type.WEIGHT, new Shape(1, d), 0.02f);
            valueBias = param("value.bias", Parameter.Type.BIAS, new Shape(1), ParameterSpec.Init.ZEROS, 0f);
        } else {
            valueWeight = null;
            valueBias = null;
        }
    }

    private Parameter param(String name, Parameter.Type type, Shape shape, float std) {
        return param(name, type, shape, ParameterSpec.Init.NORMAL, std);
    }

    private Parameter param(String name, Parameter.Type type, Shape shape, ParameterSpec.Init init, float std) {
        ParameterSpec spec = ParameterSpec.of(name, type, shape, init, std);
        specs.add(spec);
        return addParameter(spec.parameter());
    }

    /** The shape this network was built with. */
    public ModelConfig config() {
        return config;
    }

    /** Draws every parameter into {@code manager} from {@code seed} (bit-identical for equal seeds). */
    public void initialize(NDManager manager, long seed) {
        namedSpecs().forEach((name, spec) -> spec.initialize(manager, seed, name));
    }

    /** Sets every parameter from {@code tensors} (by checkpoint name), checking that names and shapes match. */
    public void load(NDManager manager, Map<String, NamedTensor> tensors) {
        Map<String, ParameterSpec> specsByName = namedSpecs();
        if (!specsByName.keySet().equals(tensors.keySet())) {
            throw new IllegalArgumentException("checkpoint parameters " + tensors.keySet()
                    + " do not match the model's " + specsByName.keySet() + " for config " + config);
        }
        specsByName.forEach((name, spec) -> {
            NamedTensor t = tensors.get(name);
            if (!spec.shape().equals(new Shape(t.shape()))) {
                throw new IllegalArgumentException("checkpoint parameter " + name + " has shape "
                        + new Shape(t.shape()) + " but config " + config + " needs " + spec.shape());
            }
            spec.parameter().setArray(manager.create(t.values(), spec.shape()));
        });
    }

    /** Every parameter under its stable checkpoint name ({@code tok.embedding}, {@code layer0.attn.qkv.weight}, …). */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        namedSpecs().forEach((name, spec) -> out.put(name, spec.parameter()));
        return out;
    }

    private Map<String, ParameterSpec> namedSpecs() {
        Map<String, ParameterSpec> out = new LinkedHashMap<>();
        for (ParameterSpec s : specs) {
            out.put(s.parameter().getName(), s);
        }
        for (int i = 0; i < layers.size(); i++) {
            for (ParameterSpec s : layers.get(i).specs()) {
                out.put("layer" + i + "." + s.parameter().getName(), s);
            }
        }
        return out;
    }

    /**
     * Hidden states after the final LayerNorm, (B, L, D). With a cache, keys and values of these positions are
     * appended and attention covers everything cached; {@code bias} is then (B, 1, L, cached + L).
     */
    public NDArray hidden(ParameterStore ps, NDArray tokens, NDArray positions, NDArray bias, KvCache cache,
                          boolean training) {
        NDArray x = Embedding.embedding(tokens, value(ps, tokens, tokenEmbedding, training), SparseFormat.DENSE)
                .singletonOrThrow()
                .add(Embedding.embedding(positions, value(ps, tokens, positionEmbedding, training), SparseFormat.DENSE)
                        .singletonOrThrow());
        for (DecoderLayer layer : layers) {
            x = layer.forward(ps, x, bias, cache, training);
        }
        return LayerNorm.layerNorm(x, new Shape(config.dModel()), value(ps, x, finalGamma, training),
                value(ps, x, finalBeta, training), 1e-5f).singletonOrThrow();
    }

    /** Next-token logits (…, V) of hidden states (…, D). */
    public NDArray logits(ParameterStore ps, NDArray hidden, boolean training) {
        return Linear.linear(hidden, value(ps, hidden, lmWeight, training), value(ps, hidden, lmBias, training))
                .singletonOrThrow();
    }

    /** Scalar values (…) of hidden states (…, D); fails when the config has no value head. */
    public NDArray values(ParameterStore ps, NDArray hidden, boolean training) {
        if (valueWeight == null) {
            throw new IllegalStateException("this model was built without a value head (ModelConfig.valueHead="
                    + "false); build it with withValueHead(true) to read values or reward scores");
        }
        return Linear.linear(hidden, value(ps, hidden, valueWeight, training), value(ps, hidden, valueBias, training))
                .singletonOrThrow().squeeze(-1);
    }

    private static NDArray value(ParameterStore ps, NDArray like, Parameter p, boolean training) {
        return ps.getValue(p, like.getDevice(), training);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray h = hidden(ps, inputs.get(0), inputs.get(1), inputs.get(2), null, training);
        NDList out = new NDList(logits(ps, h, training));
        if (config.valueHead()) {
            out.add(values(ps, h, training));
        }
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape tokens = inputShapes[0];
        Shape logits = new Shape(tokens.get(0), tokens.get(1), config.vocabSize());
        return config.valueHead() ? new Shape[] {logits, tokens} : new Shape[] {logits};
    }
}
