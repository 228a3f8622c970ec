package dev.flywheel.core.loss;

import static dev.flywheel.core.loss.Samples.assertClose;
import static dev.flywheel.core.loss.Samples.uniform;
import static dev.flywheel.core.loss.Samples.widen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Bradley–Terry, DPO and IPO against hand-computed values and the float64 reference. */
class PreferenceLossesTest {

    private static final double LN2 = Math.log(2);
    private static final int BATCH = 257;

    @Test
    void bradleyTerryOfEqualRewardsIsLn2() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray zero = manager.create(new float[] {0f});
            float[] loss = Losses.bradleyTerry(zero, zero, 0f).toFloatArray();
            assertThat((double) loss[0]).isCloseTo(LN2, offset(1e-7));
        }
    }

    @Test
    void bradleyTerryMarginShiftsTheDecisionPoint() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // chosen exceeds rejected by exactly the margin: the pair sits where the loss is ln 2.
            NDArray chosen = manager.create(new float[] {3f, 2f});
            NDArray rejected = manager.create(new float[] {2f, 2f});
            float[] loss = Losses.bradleyTerry(chosen, rejected, 1f).toFloatArray();
            assertThat((double) loss[0]).isCloseTo(LN2, offset(1e-7));
            assertThat((double) loss[1]).isCloseTo(Math.log1p(Math.E), offset(1e-6));
        }
    }

    @Test
    void bradleyTerryMatchesFloat64ReferenceOnRandomScores() {
        Random random = new Random(11);
        float[] chosen = uniform(random, BATCH, -8, 8);
        float[] rejected = uniform(random, BATCH, -8, 8);
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] loss = Losses.bradleyTerry(manager.create(chosen), manager.create(rejected), 0.5f)
                    .toFloatArray();
            assertClose(loss, DoubleReference.bradleyTerry(widen(chosen), widen(rejected), 0.5), 1e-5, 1e-7);
        }
    }

    @Test
    void bradleyTerryStaysFiniteAndExactForScoresOfTenThousand() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray chosen = manager.create(new float[] {1e4f, -1e4f, 1e4f});
            NDArray rejected = manager.create(new float[] {-1e4f, 1e4f, 1e4f});
            float[] loss = Losses.bradleyTerry(chosen, rejected, 0f).toFloatArray();
            assertThat(loss).doesNotContain(Float.NaN, Float.POSITIVE_INFINITY);
            assertThat((double) loss[0]).isCloseTo(0, offset(1e-30));
            assertThat((double) loss[1]).isCloseTo(2e4, offset(2e4 * 1e-6));
            assertThat((double) loss[2]).isCloseTo(LN2, offset(1e-7));
        }
    }

    @Test
    void dpoOfPolicyEqualToReferenceIsLn2() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray chosen = manager.create(new float[] {-12.5f, -3f});
            NDArray rejected = manager.create(new float[] {-20f, -1f});
            float[] loss = Losses.dpo(chosen, rejected, chosen, rejected, 0.1f, 0.2f).toFloatArray();
            assertThat((double) loss[0]).isCloseTo(LN2, offset(1e-7));
            assertThat((double) loss[1]).isCloseTo(LN2, offset(1e-7));
        }
    }

    @Test
    void dpoMatchesFloat64ReferenceWithAndWithoutLabelSmoothing() {
        Random random = new Random(12);
        float[] pc = uniform(random, BATCH, -60, -1);
        float[] pr = uniform(random, BATCH, -60, -1);
        float[] rc = uniform(random, BATCH, -60, -1);
        float[] rr = uniform(random, BATCH, -60, -1);
        for (float smoothing : new float[] {0f, 0.1f}) {
            try (NDManager manager = NDManager.newBaseManager()) {
                float[] loss = Losses.dpo(manager.create(pc), manager.create(pr), manager.create(rc),
                        manager.create(rr), 0.1f, smoothing).toFloatArray();
                double[] expected = DoubleReference.dpo(widen(pc), widen(pr), widen(rc), widen(rr), 0.1f, smoothing);
                assertClose(loss, expected, 1e-5, 1e-6);
            }
        }
    }

    @Test
    void dpoStaysFiniteAndExactForLogProbsOfTenThousand() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray big = manager.create(new float[] {1e4f, -1e4f});
            NDArray small = manager.create(new float[] {-1e4f, 1e4f});
            NDArray zero = manager.zeros(big.getShape());
            // z = ±2e4, βz = ±2e3: the believed term is 0 or 2000, the flipped term the other way round.
            float[] loss = Losses.dpo(big, small, zero, zero, 0.1f, 0.1f).toFloatArray();
            assertThat(loss).doesNotContain(Float.NaN, Float.POSITIVE_INFINITY);
            assertThat((double) loss[0]).isCloseTo(0.1 * 2000, offset(2000 * 1e-6));
            assertThat((double) loss[1]).isCloseTo(0.9 * 2000, offset(2000 * 1e-6));
        }
    }

    @Test
    void ipoRegressesTheMarginToOneOverTwoBeta() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray zero = manager.create(new float[] {0f, 0f});
            NDArray chosen = manager.create(new float[] {0f, 1f});
            // β = 0.5: target margin 1; z = 0 costs (0 − 1)² = 1, z = 1 costs 0.
            float[] loss = Losses.ipo(chosen, zero, zero, zero, 0.5f).toFloatArray();
            assertThat(loss).containsExactly(1f, 0f);
        }
    }

    @Test
    void ipoMatchesFloat64ReferenceOnRandomLogProbs() {
        Random random = new Random(13);
        float[] pc = uniform(random, BATCH, -10, -1);
        float[] pr = uniform(random, BATCH, -10, -1);
        float[] rc = uniform(random, BATCH, -10, -1);
        float[] rr = uniform(random, BATCH, -10, -1);
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] loss = Losses.ipo(manager.create(pc), manager.create(pr), manager.create(rc),
                    manager.create(rr), 0.25f).toFloatArray();
            assertClose(loss, DoubleReference.ipo(widen(pc), widen(pr), widen(rc), widen(rr), 0.25f), 1e-5, 1e-5);
        }
    }
}
