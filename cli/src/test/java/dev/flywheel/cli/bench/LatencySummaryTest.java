package dev.flywheel.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatencySummaryTest {

    @Test
    void percentilesAreNearestRankSamples() {
        List<Double> millis = new ArrayList<>();
        for (int i = 20; i >= 1; i--) {
            millis.add((double) i);
        }

        LatencySummary s = LatencySummary.ofMillis(millis);

        assertThat(s.count()).isEqualTo(20);
        assertThat(s.p50()).isEqualTo(10.0);
        assertThat(s.p95()).isEqualTo(19.0);
        assertThat(s.max()).isEqualTo(20.0);
        assertThat(s.mean()).isCloseTo(10.5, within(1e-9));
    }

    @Test
    void aSingleSampleIsEveryPercentile() {
        LatencySummary s = LatencySummary.ofMillis(List.of(42.0));

        assertThat(List.of(s.p50(), s.p95(), s.max())).containsOnly(42.0);
    }

    @Test
    void refusesToSummariseNothing() {
        assertThatThrownBy(() -> LatencySummary.ofMillis(List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no latency was measured");
    }
}
