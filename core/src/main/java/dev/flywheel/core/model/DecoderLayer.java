package dev.flywheel.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;

/** One pre-LayerNorm decoder block: x + Attn(LN(x)), then + MLP(LN(·)) with GELU. */
final class DecoderLayer extends AbstractBlock {

    private static final float LN_EPS = 1e-5f;

    private final ModelConfig config;
    private final int index;
    private final List<ParameterSpec> specs = new ArrayList<>();
    private final Parameter ln1Gamma;
    private final Parameter ln1Beta;
    private final Parameter qkvWeight;
    private final Parameter qkvBias;
    private final Parameter outWeight;
    private final Parameter outBias;
    private final Parameter ln2Gamma;
    private final Parameter ln2Beta;
    private final Parameter mlpInWeight;
    private final Parameter mlpInBias;
    private final Parameter mlpOutWeight;
    private final Parameter mlpOutBias;

    DecoderLayer(ModelConfig config, int index) {
        this.config = config;
        this.index = index;
        int d = config.dModel();
        int hidden = d * config.mlpRatio();
        // GPT-2 style: residual projections scaled down by depth so the stream's variance stays O(1) at init.
        float residualStd = (float) (0.02 / Math.sqrt(2.0 * config.layers()));
        ln1Gamma = param("ln1.gamma", Parameter.Type.GAMMA, new Shape(d), ParameterSpec.Init.ONES, 0f);
        ln1Beta = param("ln1.beta", Parameter.Type.BETA, new Shape(d), ParameterSpec.Init.ZEROS, 0f);
        qkvWeight = param("attn.qkv.weight", Parameter.Type.WEIGHT, new Shape(3L * d, d), ParameterSpec.Init.NORMAL, 0.02f);
        qkvBias = param("attn.qkv.bias", Parameter.Type.BIAS, new Shape(3L * d), ParameterSpec.Init.ZEROS, 0f);
        outWeight = param("attn.out.weight", Parameter.Type.WEIGHT, new Shape(d, d), ParameterSpec.Init.NORMAL, residualStd);
        outBias = param("attn.out.bias", Parameter.Type.BIAS, new Shape(d), ParameterSpec.Init.ZEROS, 0f);
        ln2Gamma = param("ln2.gamma", Parameter.Type.GAMMA, new Shape(d), ParameterSpec.Init.ONES, 0f);
        ln2Beta = param("ln2.beta", Parameter.Type.BETA, new Shape(d), ParameterSpec.Init.ZEROS, 0f);
        mlpInWeight = param("mlp.in.weight", Parameter.Type.WEIGHT, new Shape(hidden, d), ParameterSpec.Init.NORMAL, 0.02f);
        mlpInBias = param("mlp.in.bias", Parameter.Type.BIAS, new Shape(hidden), ParameterSpec.Init.ZEROS, 0f);
        mlpOutWeight = param("mlp.out.weight", Parameter.Type.WEIGHT, new Shape(d, hidden), ParameterSpec.Init.NORMAL, residualStd);
        mlpOutBias = param("mlp.out.bias", Parameter.Type.BIAS, new Shape(d), ParameterSpec.Init.ZEROS, 0f);
    }

    private Parameter param(String name, Parameter.Type type, Shape shape, ParameterSpec.Init init, float std) {
        ParameterSpec spec = ParameterSpec.of(name, type, shape, init, std);
        specs.add(spec);
        return addParameter(spec.parameter());
    }

    List<ParameterSpec> specs() {
        return specs;
    }

    /**
     * Runs the block on x (B, L, D) with attention bias (B, 1, L, Lk); with a cache, this call's keys and values
     * are appended to it first and the queries attend over the whole cache.
     */
    NDArray forward(ParameterStore ps, NDArray x, NDArray bias, KvCache cache, boolean training) {
        long b = x.getShape().get(0);
        long l = x.getShape().get(1);
        int d = config.dModel();
        int h = config.heads();
        int hd = config.headDim();
        NDArray normed = LayerNorm.layerNorm(x, new Shape(d), v(ps, x, ln1Gamma, training), v(ps, x, ln1Beta, training),
                LN_EPS).singletonOrThrow();
        NDArray qkv = Linear.linear(normed, v(ps, x, qkvWeight, training), v(ps, x, qkvBias, training))
                .singletonOrThrow();
        NDArray split = qkv.reshape(b, l, 3, h, hd).transpose(2, 0, 3, 1, 4);
        NDArray q = split.get(0);
        NDArray k = split.get(1);
        NDArray val = split.get(2);
        if (cache != null) {
            k = cache.appendKeys(index, k);
            val = cache.appendValues(index, val);
        }
        // Scalars are created as arrays in the step's manager: DJL frees a Number operand's buffer right after the
        // op while autograd may still read it in backward.
        NDArray scale = x.getManager().create((float) (1.0 / Math.sqrt(hd)));
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).mul(scale).add(bias);
        NDArray attended = scores.softmax(-1).matMul(val).transpose(0, 2, 1, 3).reshape(b, l, d);
        NDArray projected = Linear.linear(attended, v(ps, x, outWeight, training), v(ps, x, outBias, training))
                .singletonOrThrow();
        NDArray mid = x.add(projected);
        NDArray normed2 = LayerNorm.layerNorm(mid, new Shape(d), v(ps, x, ln2Gamma, training),
                v(ps, x, ln2Beta, training), LN_EPS).singletonOrThrow();
        NDArray hidden = Activation.gelu(Linear.linear(normed2, v(ps, x, mlpInWeight, training),
                v(ps, x, mlpInBias, training)).singletonOrThrow());
        NDArray mlp = Linear.linear(hidden, v(ps, x, mlpOutWeight, training), v(ps, x, mlpOutBias, training))
                .singletonOrThrow();
        return mid.add(mlp);
    }

    private static NDArray v(ParameterStore ps, NDArray like, Parameter p, boolean training) {
        return ps.getValue(p, like.getDevice(), training);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.get(0), inputs.get(1), null, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
