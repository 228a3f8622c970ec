package dev.flywheel.learner.publish;

import dev.flywheel.learner.train.BatchReport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The batches trained since the last published version, summarised for the guards and the version's metrics.
 *
 * @param batches     batches in the interval
 * @param steps       optimizer steps attempted
 * @param finite      whether every loss and gradient was finite
 * @param tokens      tokens trained on
 * @param stats       per-statistic means over the interval's batches
 */
public record IntervalSummary(int batches, int steps, boolean finite, long tokens, Map<String, Double> stats) {

    /** Summarises a list of batch reports. */
    public static IntervalSummary of(List<BatchReport> reports) {
        Map<String, double[]> sums = new LinkedHashMap<>();
        boolean finite = true;
        int steps = 0;
        long tokens = 0;
        for (BatchReport r : reports) {
            finite &= r.finite() && r.appliedSteps() == r.steps();
            steps += r.steps();
            tokens += r.tokens();
            r.stats().forEach((k, v) -> {
                double[] s = sums.computeIfAbsent(k, x -> new double[2]);
                s[0] += v;
                s[1]++;
            });
        }
        Map<String, Double> means = new LinkedHashMap<>();
        sums.forEach((k, s) -> means.put(k, s[0] / s[1]));
        return new IntervalSummary(reports.size(), steps, finite, tokens, Map.copyOf(means));
    }

    /** A statistic, or NaN when the algorithm does not compute it. */
    public double stat(String name) {
        return stats.getOrDefault(name, Double.NaN);
    }
}
