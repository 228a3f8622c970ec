package dev.flywheel.monitor.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PageHinkleyTest {

    /** Index (0-based) of the value that raised the first change, or -1. */
    private static int firstChange(PageHinkley test, double[] values) {
        for (int i = 0; i < values.length; i++) {
            if (test.add(values[i]).isPresent()) {
                return i;
            }
        }
        return -1;
    }

    private static double[] shifted(long seed, int before, int after, double mean, double shift, double std) {
        Random random = new Random(seed);
        double[] values = new double[before + after];
        for (int i = 0; i < values.length; i++) {
            values[i] = mean + (i >= before ? shift : 0) + std * random.nextGaussian();
        }
        return values;
    }

    @Test
    void reportsAnUpwardShiftOfThreeStandardDeviationsWithinTenPoints() {
        PageHinkley test = new PageHinkley(0.5, 25, 20);
        double[] values = shifted(11, 300, 100, 10, 3, 1);
        int at = firstChange(new PageHinkley(0.5, 25, 20), values);
        assertThat(at).isBetween(300, 310);
        for (int i = 0; i < at; i++) {
            assertThat(test.add(values[i])).isEmpty();
        }
        Optional<PageHinkley.Change> change = test.add(values[at]);
        assertThat(change).isPresent();
        assertThat(change.get().direction()).isEqualTo(PageHinkley.Direction.UP);
        assertThat(change.get().statistic()).isGreaterThan(25);
        assertThat(change.get().samples()).isEqualTo(at + 1);
        assertThat(change.get().before()).isCloseTo(10, within(0.2));
    }

    @Test
    void reportsADownwardShiftAsDown() {
        PageHinkley test = new PageHinkley(0.5, 25, 20);
        double[] values = shifted(12, 200, 100, 5, -2, 0.5);
        Optional<PageHinkley.Change> first = Optional.empty();
        for (double value : values) {
            first = test.add(value);
            if (first.isPresent()) {
                break;
            }
        }
        assertThat(first).map(PageHinkley.Change::direction).contains(PageHinkley.Direction.DOWN);
    }

    @Test
    void isScaleFreeSoTheSameShapeAlarmsAtTheSamePointInAnyUnit() {
        double[] values = shifted(13, 150, 60, 0.2, 0.1, 0.05);
        double[] inMillis = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            inMillis[i] = values[i] * 1000;
        }
        int at = firstChange(new PageHinkley(0.5, 25, 20), values);
        assertThat(at).isBetween(150, 170);
        assertThat(firstChange(new PageHinkley(0.5, 25, 20), inMillis)).isEqualTo(at);
    }

    @Test
    void staysSilentDuringWarmUpAndStartsAfreshAfterAChange() {
        PageHinkley test = new PageHinkley(0.5, 5, 10);
        for (int i = 0; i < 9; i++) {
            assertThat(test.add(i % 2 == 0 ? 1e6 : -1e6)).as("warm-up value %d", i).isEmpty();
        }
        assertThat(test.warmedUp()).isFalse();
        test.add(0);
        assertThat(test.warmedUp()).isTrue();
        Optional<PageHinkley.Change> change = Optional.empty();
        for (int i = 0; i < 100 && change.isEmpty(); i++) {
            change = test.add(1e8);
        }
        assertThat(change).isPresent();
        assertThat(test.samples()).isZero();
        assertThat(test.warmedUp()).isFalse();
    }

    @Test
    void aSeriesConstantDuringWarmUpDoesNotAlarmOnRoundingNoise() {
        PageHinkley test = new PageHinkley(0.5, 25, 20);
        for (int i = 0; i < 20; i++) {
            test.add(40.0);
        }
        Random random = new Random(14);
        for (int i = 0; i < 5_000; i++) {
            assertThat(test.add(40.0 + 1e-9 * random.nextGaussian())).isEmpty();
        }
    }

    @Test
    void rejectsParametersAndValuesItCannotUse() {
        assertThatThrownBy(() -> new PageHinkley(-0.1, 25, 20)).hasMessageContaining("delta >= 0");
        assertThatThrownBy(() -> new PageHinkley(0.5, 0, 20)).hasMessageContaining("lambda > 0");
        assertThatThrownBy(() -> new PageHinkley(0.5, 25, 1)).hasMessageContaining("at least 2 warm-up samples");
        assertThatThrownBy(() -> new PageHinkley(0.5, 25, 20).add(Double.NaN)).hasMessageContaining("finite");
    }
}
