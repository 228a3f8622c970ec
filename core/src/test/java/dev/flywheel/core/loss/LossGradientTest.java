package dev.flywheel.core.loss;

import static dev.flywheel.core.loss.Samples.assertClose;
import static dev.flywheel.core.loss.Samples.uniform;
import static dev.flywheel.core.loss.Samples.widen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.Random;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * Autograd gradients of the differentiable losses against float64 central differences of the reference,
 * away from the kinks of min/max/clip, and bit-identical from one run to the next.
 */
class LossGradientTest {

    private static final int BATCH = 48;
    private static final double STEP = 1e-6;

    @Test
    void bradleyTerryGradientMatchesCentralDifferences() {
        Random random = new Random(41);
        float[][] inputs = {uniform(random, BATCH, -6, 6), uniform(random, BATCH, -6, 6)};
        Function<NDArray[], NDArray> loss = in -> Losses.bradleyTerry(in[0], in[1], 0.3f);
        ToDoubleFunction<double[][]> reference =
                in -> DoubleReference.sum(DoubleReference.bradleyTerry(in[0], in[1], 0.3f));
        checkGradient(inputs, 2, loss, reference);
    }

    @Test
    void dpoGradientMatchesCentralDifferences() {
        Random random = new Random(42);
        float[][] inputs = new float[4][];
        for (int i = 0; i < 4; i++) {
            inputs[i] = uniform(random, BATCH, -20, -1);
        }
        Function<NDArray[], NDArray> loss = in -> Losses.dpo(in[0], in[1], in[2], in[3], 0.5f, 0.1f);
        ToDoubleFunction<double[][]> reference =
                in -> DoubleReference.sum(DoubleReference.dpo(in[0], in[1], in[2], in[3], 0.5f, 0.1f));
        // Only the policy log-probs are differentiated; the reference is frozen.
        checkGradient(inputs, 2, loss, reference);
    }

    @Test
    void ppoClipGradientMatchesCentralDifferences() {
        float[][] inputs = ppoInputsAwayFromKinks(new Random(43));
        Function<NDArray[], NDArray> loss = in -> Losses.ppoClip(in[0], in[1], in[2], 0.2f);
        ToDoubleFunction<double[][]> reference =
                in -> DoubleReference.sum(DoubleReference.ppoClip(in[0], in[1], in[2], 0.2f));
        checkGradient(inputs, 1, loss, reference);
    }

    @Test
    void ppoClipPassesNoGradientThroughTokensClippedInTheirFavour() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // ρ = 1.5 with A > 0 and ρ = 0.5 with A < 0 are clipped; ρ = 1.5 with A < 0 is not.
            NDArray logp = manager.create(new float[] {(float) Math.log(1.5), (float) Math.log(0.5),
                (float) Math.log(1.5)});
            logp.setRequiresGradient(true);
            NDArray old = manager.zeros(logp.getShape());
            NDArray advantages = manager.create(new float[] {1f, -1f, -1f});
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(Losses.ppoClip(logp, old, advantages, 0.2f).sum());
                float[] gradient = logp.getGradient().toFloatArray();
                assertThat(gradient[0]).isZero();
                assertThat(gradient[1]).isZero();
                // d/dlogp of −ρA = −ρA = 1.5.
                assertThat((double) gradient[2]).isCloseTo(1.5, offset(1e-6));
            }
        }
    }

    @Test
    void klK3GradientMatchesCentralDifferencesOnBothSidesOfTheSeriesSwitch() {
        Random random = new Random(44);
        float[] logp = uniform(random, BATCH, -4, -1);
        float[] ref = new float[BATCH];
        float[] shift = uniform(random, BATCH, -1.2, 1.2);
        for (int i = 0; i < BATCH; i++) {
            ref[i] = logp[i] + shift[i];
        }
        Function<NDArray[], NDArray> loss = in -> Losses.klK3(in[0], in[1]);
        ToDoubleFunction<double[][]> reference = in -> DoubleReference.sum(DoubleReference.klK3(in[0], in[1]));
        checkGradient(new float[][] {logp, ref}, 1, loss, reference);
    }

    /** ρ = exp(logp − old) at least 0.02 (in log space) from 1 ± ε, and advantages away from 0. */
    private static float[][] ppoInputsAwayFromKinks(Random random) {
        float[] logp = uniform(random, BATCH, -5, -0.5);
        float[] old = new float[BATCH];
        float[] advantages = new float[BATCH];
        for (int i = 0; i < BATCH; i++) {
            double shift;
            do {
                shift = -0.6 + 1.2 * random.nextDouble();
            } while (Math.abs(shift - Math.log(0.8)) < 0.02 || Math.abs(shift - Math.log(1.2)) < 0.02);
            old[i] = (float) (logp[i] - shift);
            double magnitude = 0.1 + 2 * random.nextDouble();
            advantages[i] = (float) (random.nextBoolean() ? magnitude : -magnitude);
        }
        return new float[][] {logp, old, advantages};
    }

    /**
     * Compares d(sum of loss)/d(input) from autograd with float64 central differences for the first
     * {@code differentiated} inputs, and checks that a second autograd run gives the very same bits.
     */
    private static void checkGradient(float[][] inputs, int differentiated, Function<NDArray[], NDArray> loss,
            ToDoubleFunction<double[][]> reference) {
        float[][] first = autogradOf(inputs, differentiated, loss);
        float[][] second = autogradOf(inputs, differentiated, loss);
        assertThat(second).as("gradient of a second identical run").isDeepEqualTo(first);
        for (int which = 0; which < differentiated; which++) {
            assertClose(first[which], centralDifferences(inputs, which, reference), 1e-3, 1e-6);
        }
    }

    private static float[][] autogradOf(float[][] inputs, int differentiated, Function<NDArray[], NDArray> loss) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray[] arrays = new NDArray[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                arrays[i] = manager.create(inputs[i]);
                arrays[i].setRequiresGradient(i < differentiated);
            }
            float[][] gradients = new float[differentiated][];
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(loss.apply(arrays).sum());
                for (int i = 0; i < differentiated; i++) {
                    gradients[i] = arrays[i].getGradient().toFloatArray();
                }
            }
            return gradients;
        }
    }

    private static double[] centralDifferences(float[][] inputs, int which, ToDoubleFunction<double[][]> reference) {
        double[][] point = new double[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            point[i] = widen(inputs[i]);
        }
        double[] gradient = new double[point[which].length];
        for (int k = 0; k < gradient.length; k++) {
            double original = point[which][k];
            double step = STEP * Math.max(1, Math.abs(original));
            point[which][k] = original + step;
            double above = reference.applyAsDouble(point);
            point[which][k] = original - step;
            double below = reference.applyAsDouble(point);
            point[which][k] = original;
            gradient[k] = (above - below) / (2 * step);
        }
        return gradient;
    }
}
