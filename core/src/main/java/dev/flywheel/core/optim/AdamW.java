package dev.flywheel.core.optim;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.flywheel.core.device.GradMode;
import dev.flywheel.core.model.NamedTensor;
import dev.flywheel.core.model.TransformerModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Adam with decoupled weight decay over a model's trainable parameters, global gradient-norm clipping and a
 * learning-rate schedule.
 *
 * <p>Written here rather than using DJL's optimizer because clipping must see all gradients at once (DJL clips per
 * element) and every step must be reproducible bit for bit. Moments live in the optimizer's own scope of the
 * model's manager. Only one gradient collector may be open per JVM (a DJL PyTorch rule), so train one model at a
 * time.
 */
public final class AdamW implements AutoCloseable {

    private final TransformerModel model;
    private final AdamWConfig config;
    private final LearningRateSchedule schedule;
    private final NDManager state;
    private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
    private long step;

    private AdamW(TransformerModel model, AdamWConfig config, LearningRateSchedule schedule) {
        this.model = model;
        this.config = config;
        this.schedule = schedule;
        this.state = model.newScope();
    }

    /** An optimizer for {@code model}'s currently trainable parameters. */
    public static AdamW over(TransformerModel model, AdamWConfig config, LearningRateSchedule schedule) {
        if (!model.isTrainable()) {
            throw new IllegalStateException("model has no trainable parameters; call model.setTrainable(true) "
                    + "before creating its optimizer");
        }
        return new AdamW(model, config, schedule);
    }

    /**
     * Computes {@code loss(scope)} (a scalar) with gradients, back-propagates it and takes one step; every array
     * the loss allocated is freed before this returns.
     */
    public StepReport minimize(Function<NDManager, NDArray> loss) {
        float lossValue;
        try (NDManager scope = model.newScope();
             GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray l = loss.apply(scope);
            if (l.getShape().size() != 1) {
                throw new IllegalArgumentException("loss must be a scalar to minimise, got shape " + l.getShape()
                        + "; reduce it (e.g. mean) first");
            }
            lossValue = l.toFloatArray()[0];
            collector.backward(l);
        }
        StepReport r = step();
        return new StepReport(r.step(), r.learningRate(), r.gradNorm(), r.applied(), lossValue);
    }

    /** Applies the gradients already accumulated on the parameters, then zeroes them. */
    public StepReport step() {
        return GradMode.disabledDuring(this::stepWithoutGrad);
    }

    private StepReport stepWithoutGrad() {
        float lr = schedule.rate(step);
        try (NDManager s = state.newSubManager()) {
            Map<String, NDArray> grads = gradients(s);
            double sumSquares = 0;
            for (NDArray g : grads.values()) {
                sumSquares += g.square().sum().toFloatArray()[0];
            }
            float norm = (float) Math.sqrt(sumSquares);
            if (!Float.isFinite(norm)) {
                zeroAll();
                return new StepReport(step, lr, norm, false, Float.NaN);
            }
            float clip = (float) Math.min(1.0, config.maxGradNorm() / (norm + 1e-6));
            long t = step + 1;
            Scalars k = new Scalars(s, lr, clip, t);
            trainable().forEach((name, p) -> update(k, name, p.getArray(), grads.get(name)));
            zeroAll();
            return new StepReport(step++, lr, norm, true, Float.NaN);
        }
    }

    /** Discards accumulated gradients without stepping. */
    public void zeroGradients() {
        zeroAll();
    }

    /** Steps taken so far. */
    public long steps() {
        return step;
    }

    private void update(Scalars k, String name, NDArray weight, NDArray grad) {
        NDArray m = firstMoments.computeIfAbsent(name, n -> state.zeros(weight.getShape()));
        NDArray v = secondMoments.computeIfAbsent(name, n -> state.zeros(weight.getShape()));
        NDArray g = k.clip.mul(grad);
        m.muli(k.beta1).addi(k.oneMinusBeta1.mul(g));
        v.muli(k.beta2).addi(k.oneMinusBeta2.mul(g.square()));
        NDArray denominator = k.secondCorrection.mul(v).sqrt().add(k.epsilon);
        NDArray update = k.lrOverFirstCorrection.mul(m).div(denominator);
        if (config.weightDecay() > 0 && weight.getShape().dimension() >= 2) {
            weight.subi(k.lrTimesDecay.mul(weight));
        }
        weight.subi(update);
    }

    private Map<String, Parameter> trainable() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        model.parameters().forEach((name, p) -> {
            if (p.requiresGradient()) {
                out.put(name, p);
            }
        });
        return out;
    }

    private Map<String, NDArray> gradients(NDManager s) {
        Map<String, NDArray> grads = new LinkedHashMap<>();
        trainable().forEach((name, p) -> {
            NDArray g = p.getArray().getGradient();
            // getGradient wraps the tensor's .grad in a new handle owned by the parameter's manager: move the
            // handle into the step scope so it is released (the gradient itself stays on the parameter).
            g.attach(s);
            grads.put(name, g);
        });
        return grads;
    }

    private void zeroAll() {
        trainable().values().forEach(p -> JniUtils.zeroGrad((PtNDArray) p.getArray()));
    }

    /** Moments and step count, for a checkpoint. */
    public OptimizerState state() {
        return new OptimizerState(step, toTensors(firstMoments), toTensors(secondMoments));
    }

    /** Restores {@link #state()}; moments must match the trainable parameters' names and shapes. */
    public void restore(OptimizerState saved) {
        Map<String, Parameter> params = trainable();
        // Moments the saved state lacks (it was taken before their first step) must restart from zero.
        firstMoments.values().forEach(NDArray::close);
        secondMoments.values().forEach(NDArray::close);
        firstMoments.clear();
        secondMoments.clear();
        load(saved.firstMoments(), firstMoments, params);
        load(saved.secondMoments(), secondMoments, params);
        step = saved.step();
    }

    private void load(List<NamedTensor> tensors, Map<String, NDArray> into, Map<String, Parameter> params) {
        for (NamedTensor t : tensors) {
            Parameter p = params.get(t.name());
            if (p == null || !p.getArray().getShape().equals(new Shape(t.shape()))) {
                throw new IllegalArgumentException("optimizer state for " + t.name() + " " + new Shape(t.shape())
                        + " does not match a trainable parameter of this model");
            }
            NDArray old = into.put(t.name(), state.create(t.values(), new Shape(t.shape())));
            if (old != null) {
                old.close();
            }
        }
    }

    private static List<NamedTensor> toTensors(Map<String, NDArray> moments) {
        List<NamedTensor> out = new ArrayList<>();
        moments.forEach((name, a) -> out.add(new NamedTensor(name, a.getShape().getShape(), a.toFloatArray())));
        return out;
    }

    @Override
    public void close() {
        state.close();
    }

    /** Step constants as arrays in the step's scope (so every temporary lands in that scope). */
    private final class Scalars {
        final NDArray clip;
        final NDArray beta1;
        final NDArray beta2;
        final NDArray oneMinusBeta1;
        final NDArray oneMinusBeta2;
        final NDArray secondCorrection;
        final NDArray lrOverFirstCorrection;
        final NDArray epsilon;
        final NDArray lrTimesDecay;

        Scalars(NDManager s, float lr, float clipFactor, long t) {
            clip = s.create(clipFactor);
            beta1 = s.create(config.beta1());
            beta2 = s.create(config.beta2());
            oneMinusBeta1 = s.create(1f - config.beta1());
            oneMinusBeta2 = s.create(1f - config.beta2());
            secondCorrection = s.create((float) (1.0 / (1.0 - Math.pow(config.beta2(), t))));
            lrOverFirstCorrection = s.create((float) (lr / (1.0 - Math.pow(config.beta1(), t))));
            epsilon = s.create(config.epsilon());
            lrTimesDecay = s.create(lr * config.weightDecay());
        }
    }
}
