package dev.flywheel.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.Random;

/** Seeded float inputs (exactly representable in float32) and element-wise tolerance checks for the tests. */
final class Samples {

    private Samples() {
    }

    /** n floats uniform in [low, high). */
    static float[] uniform(Random random, int n, double low, double high) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (low + (high - low) * random.nextDouble());
        }
        return out;
    }

    /** The same values widened to double, so the reference sees exactly what the NDArray saw. */
    static double[] widen(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    /** Asserts |actual − expected| ≤ rel·|expected| + abs for every element, naming the first failure. */
    static void assertClose(float[] actual, double[] expected, double rel, double abs) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < actual.length; i++) {
            double tolerance = rel * Math.abs(expected[i]) + abs;
            assertThat((double) actual[i])
                    .as("element %d: expected %s within %s", i, expected[i], tolerance)
                    .isCloseTo(expected[i], offset(tolerance));
        }
    }
}
