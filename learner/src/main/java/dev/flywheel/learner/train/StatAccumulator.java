package dev.flywheel.learner.train;

import java.util.LinkedHashMap;
import java.util.Map;

/** Averages named statistics over the steps of one batch. */
public final class StatAccumulator {

    private final Map<String, double[]> sums = new LinkedHashMap<>();
    private boolean finite = true;

    /** Adds one observation of {@code name}; a non-finite value marks the batch as non-finite. */
    public void add(String name, double value) {
        if (!Double.isFinite(value)) {
            finite = false;
        }
        double[] s = sums.computeIfAbsent(name, k -> new double[2]);
        s[0] += value;
        s[1] += 1;
    }

    /** Marks the batch non-finite (a skipped step). */
    public void markNonFinite() {
        finite = false;
    }

    /** Whether every observation so far was finite. */
    public boolean finite() {
        return finite;
    }

    /** The mean of every statistic. */
    public Map<String, Double> means() {
        Map<String, Double> out = new LinkedHashMap<>();
        sums.forEach((k, s) -> out.put(k, s[0] / s[1]));
        return out;
    }
}
