package dev.flywheel.learner.train;

import java.util.Map;
import java.util.TreeMap;

/**
 * What training on one batch did.
 *
 * @param examples     examples in the batch
 * @param steps        optimizer steps attempted
 * @param appliedSteps steps actually applied (a step with a non-finite gradient is skipped)
 * @param finite       whether every loss and gradient norm was finite
 * @param tokens       response tokens trained on (counting each epoch)
 * @param stats        named statistics averaged over the steps: loss parts, KL, entropy, clip fraction, rewards
 */
public record BatchReport(int examples, int steps, int appliedSteps, boolean finite, long tokens,
                          Map<String, Double> stats) {

    /** Copies the statistics, sorted by name. */
    public BatchReport {
        stats = java.util.Collections.unmodifiableMap(new TreeMap<>(stats));
    }

    /** A statistic, or NaN when this algorithm does not compute it. */
    public double stat(String name) {
        return stats.getOrDefault(name, Double.NaN);
    }
}
