package dev.flywheel.monitor.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PsiTest {

    private static double[] evenlySpaced(int n) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = (double) i / n;
        }
        return values;
    }

    private static double[] normal(long seed, int n, double mean, double std) {
        Random random = new Random(seed);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = mean + std * random.nextGaussian();
        }
        return values;
    }

    private static double term(double window, double reference) {
        return (window - reference) * Math.log(window / reference);
    }

    @Test
    void matchesTheDefinitionOnTwoQuantileBins() {
        Psi psi = Psi.against(evenlySpaced(1000), 2, 1e-4);
        double[] window = new double[100];
        for (int i = 0; i < 100; i++) {
            window[i] = i < 75 ? 0.1 : 0.9;
        }
        assertThat(psi.bins()).isEqualTo(2);
        assertThat(psi.of(window)).isCloseTo(term(0.75, 0.5) + term(0.25, 0.5), within(1e-12));
    }

    @Test
    void anEmptyBinCountsWithEpsilonInsteadOfBeingInfinite() {
        Psi psi = Psi.against(evenlySpaced(1000), 2, 1e-4);
        double[] allLow = {0.1, 0.2, 0.3};
        assertThat(psi.of(allLow)).isCloseTo(term(1, 0.5) + term(1e-4, 0.5), within(1e-12));
    }

    @Test
    void theSameDistributionScoresBelowTheSamplingNoiseBoundAndAOneSigmaShiftScoresNearOne() {
        Psi psi = Psi.against(normal(1, 20_000, 0, 1), 10, 1e-4);
        double same = psi.of(normal(2, 20_000, 0, 1));
        assertThat(same).isLessThan(psi.noiseBound(20_000, 5)).isLessThan(0.01);
        // For equal-variance normals d standard deviations apart PSI tends to d² as bins get finer; 10 bins lose a bit.
        assertThat(psi.of(normal(3, 20_000, 1, 1))).isBetween(0.75, 1.0);
        assertThat(psi.of(normal(4, 20_000, 0.5, 1))).isBetween(0.18, 0.25);
    }

    @Test
    void noiseBoundShrinksWithSampleSizeAndIsRarelyExceededByChance() {
        Psi small = Psi.against(normal(5, 200, 0, 1), 10, 1e-4);
        Psi large = Psi.against(normal(5, 2000, 0, 1), 10, 1e-4);
        assertThat(small.noiseBound(200, 5)).isGreaterThan(large.noiseBound(2000, 5) * 5);
        Random seeds = new Random(6);
        int exceeded = 0;
        for (int trial = 0; trial < 2_000; trial++) {
            if (small.of(normal(seeds.nextLong(), 200, 0, 1)) >= small.noiseBound(200, 4)) {
                exceeded++;
            }
        }
        assertThat(exceeded).as("windows of the reference's own distribution past the 4-sigma noise bound").isZero();
    }

    @Test
    void repeatedReferenceValuesMergeIntoFewerBins() {
        Psi psi = Psi.against(new double[] {3, 3, 3, 3, 3, 3}, 10, 1e-4);
        assertThat(psi.bins()).isEqualTo(2);
        assertThat(psi.of(new double[] {3, 3, 3})).isZero();
        assertThat(psi.of(new double[] {4, 4})).isGreaterThan(5);
    }

    @Test
    void rejectsInputItCannotScore() {
        assertThatThrownBy(() -> Psi.against(new double[] {1}, 10, 1e-4)).hasMessageContaining("at least 2 values");
        assertThatThrownBy(() -> Psi.against(evenlySpaced(10), 1, 1e-4)).hasMessageContaining("at least 2 bins");
        assertThatThrownBy(() -> Psi.against(evenlySpaced(10), 2, 0)).hasMessageContaining("epsilon");
        Psi psi = Psi.against(evenlySpaced(10), 2, 1e-4);
        assertThatThrownBy(() -> psi.of(new double[0])).hasMessageContaining("empty window");
        assertThatThrownBy(() -> psi.of(new double[] {Double.NaN})).hasMessageContaining("finite");
    }
}
