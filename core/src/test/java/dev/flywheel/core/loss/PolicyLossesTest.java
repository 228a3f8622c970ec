package dev.flywheel.core.loss;

import static dev.flywheel.core.loss.Samples.assertClose;
import static dev.flywheel.core.loss.Samples.uniform;
import static dev.flywheel.core.loss.Samples.widen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** PPO clip, value loss and the k1/k3 KL estimators against hand-computed values and the float64 reference. */
class PolicyLossesTest {

    private static final Shape TOKENS = new Shape(8, 33);
    private static final int SIZE = 8 * 33;

    @Test
    void ppoClipTakesThePessimisticSideOutsideTheClipRange() {
        float up = (float) Math.log(1.5);
        float down = (float) Math.log(0.5);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logp = manager.create(new float[] {up, up, down, down});
            NDArray old = manager.zeros(new Shape(4));
            NDArray advantages = manager.create(new float[] {2f, -2f, 2f, -2f});
            float[] loss = Losses.ppoClip(logp, old, advantages, 0.2f).toFloatArray();
            // ρ = 1.5, A = 2: min(3, 1.2·2) = 2.4, the gain is capped.
            assertThat((double) loss[0]).isCloseTo(-2.4, offset(1e-6));
            // ρ = 1.5, A = −2: min(−3, −2.4) = −3, the penalty is not.
            assertThat((double) loss[1]).isCloseTo(3.0, offset(1e-6));
            // ρ = 0.5, A = 2: min(1, 0.8·2) = 1.
            assertThat((double) loss[2]).isCloseTo(-1.0, offset(1e-6));
            // ρ = 0.5, A = −2: min(−1, −1.6) = −1.6, the gain from lowering a bad token is capped.
            assertThat((double) loss[3]).isCloseTo(1.6, offset(1e-6));
        }
    }

    @Test
    void ppoClipMatchesFloat64ReferenceOnRandomTokens() {
        Random random = new Random(21);
        float[] logp = uniform(random, SIZE, -6, 0);
        float[] old = new float[SIZE];
        float[] shift = uniform(random, SIZE, -0.6, 0.6);
        for (int i = 0; i < SIZE; i++) {
            old[i] = logp[i] + shift[i];
        }
        float[] advantages = uniform(random, SIZE, -3, 3);
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] loss = Losses.ppoClip(manager.create(logp, TOKENS), manager.create(old, TOKENS),
                    manager.create(advantages, TOKENS), 0.2f).toFloatArray();
            assertClose(loss, DoubleReference.ppoClip(widen(logp), widen(old), widen(advantages), 0.2f), 1e-5, 1e-6);
        }
    }

    @Test
    void valueLossTakesTheLargerOfClippedAndUnclippedError() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray values = manager.create(new float[] {1f, 1f});
            NDArray old = manager.create(new float[] {0.5f, 0.5f});
            NDArray returns = manager.create(new float[] {0f, 2f});
            float[] loss = Losses.valueLoss(values, old, returns, 0.2f).toFloatArray();
            // R = 0: max((1−0)², (0.7−0)²) / 2 = 0.5.  R = 2: max((1−2)², (0.7−2)²) / 2 = 0.845.
            assertThat((double) loss[0]).isCloseTo(0.5, offset(1e-6));
            assertThat((double) loss[1]).isCloseTo(0.845, offset(1e-6));
        }
    }

    @Test
    void valueLossMatchesFloat64ReferenceOnRandomTokens() {
        Random random = new Random(22);
        float[] values = uniform(random, SIZE, -2, 2);
        float[] old = uniform(random, SIZE, -2, 2);
        float[] returns = uniform(random, SIZE, -2, 2);
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] loss = Losses.valueLoss(manager.create(values, TOKENS), manager.create(old, TOKENS),
                    manager.create(returns, TOKENS), 0.3f).toFloatArray();
            assertClose(loss, DoubleReference.valueLoss(widen(values), widen(old), widen(returns), 0.3f), 1e-5, 1e-6);
        }
    }

    @Test
    void klEstimatorsOfHalvedProbabilityMatchHandValues() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logp = manager.create(new float[] {(float) Math.log(0.5)});
            NDArray ref = manager.create(new float[] {(float) Math.log(0.25)});
            // ρ = π_ref/π = 0.5: k1 = ln 2, k3 = (0.5 − 1) − ln 0.5 = ln 2 − 0.5.
            assertThat((double) Losses.klK1(logp, ref).toFloatArray()[0]).isCloseTo(Math.log(2), offset(1e-6));
            assertThat((double) Losses.klK3(logp, ref).toFloatArray()[0]).isCloseTo(Math.log(2) - 0.5, offset(1e-6));
        }
    }

    @Test
    void klEstimatorsMatchFloat64ReferenceOnRandomTokens() {
        Random random = new Random(23);
        float[] logp = uniform(random, SIZE, -8, 0);
        float[] ref = uniform(random, SIZE, -8, 0);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray p = manager.create(logp, TOKENS);
            NDArray r = manager.create(ref, TOKENS);
            assertClose(Losses.klK1(p, r).toFloatArray(), DoubleReference.klK1(widen(logp), widen(ref)), 1e-5, 1e-6);
            float[] k3 = Losses.klK3(p, r).toFloatArray();
            assertClose(k3, DoubleReference.klK3(widen(logp), widen(ref)), 1e-5, 1e-7);
            for (float value : k3) {
                assertThat(value).isGreaterThanOrEqualTo(0f);
            }
        }
    }

    @Test
    void klK3KeepsRelativePrecisionWhenPolicyIsCloseToReference() {
        Random random = new Random(24);
        float[] logp = uniform(random, SIZE, -3, -1);
        float[] ref = new float[SIZE];
        for (int i = 0; i < SIZE; i++) {
            // |d| from 1e-4 to 0.7, both signs, straddling the series/direct switch at 0.5.
            double magnitude = Math.pow(10, -4 + 3.85 * random.nextDouble());
            ref[i] = logp[i] + (float) (random.nextBoolean() ? magnitude : -magnitude);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] k3 = Losses.klK3(manager.create(logp, TOKENS), manager.create(ref, TOKENS)).toFloatArray();
            assertClose(k3, DoubleReference.klK3(widen(logp), widen(ref)), 1e-5, 0);
        }
    }
}
