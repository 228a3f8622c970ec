package dev.flywheel.cli.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Percentiles of a set of latencies in milliseconds, by the nearest-rank method (a p95 of 20 samples is the 19th
 * smallest): no interpolation between samples that were never observed.
 *
 * @param count samples
 * @param p50   median
 * @param p95   95th percentile
 * @param max   largest sample
 * @param mean  arithmetic mean
 */
public record LatencySummary(int count, double p50, double p95, double max, double mean) {

    /** The summary of {@code millis}; throws when there are none, since a percentile of nothing means nothing. */
    public static LatencySummary ofMillis(List<Double> millis) {
        if (millis.isEmpty()) {
            throw new IllegalArgumentException("no latency was measured, so there are no percentiles to report");
        }
        double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new LatencySummary(sorted.length, rank(sorted, 0.50), rank(sorted, 0.95), sorted[sorted.length - 1],
                Arrays.stream(sorted).average().orElseThrow());
    }

    private static double rank(double[] sorted, double q) {
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** {@code {"p50", "p95", "max", "mean", "count"}}, rounded to 0.1 ms. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("p50", BenchReport.round(p50, 1));
        m.put("p95", BenchReport.round(p95, 1));
        m.put("max", BenchReport.round(max, 1));
        m.put("mean", BenchReport.round(mean, 1));
        m.put("count", count);
        return m;
    }
}
