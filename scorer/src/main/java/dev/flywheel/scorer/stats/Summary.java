package dev.flywheel.scorer.stats;

import java.util.Arrays;

/**
 * Mean, standard deviation and the 10th / 50th / 90th percentiles of a sample.
 *
 * <p>Percentiles interpolate linearly between order statistics (the same rule as NumPy's default), and the
 * standard deviation is the population one (divide by n): a window is the whole population it describes.
 */
public record Summary(long count, double mean, double std, double p10, double p50, double p90) {

    /** The summary of {@code values}; NaN statistics for an empty sample. */
    public static Summary of(double[] values) {
        if (values.length == 0) {
            return new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (double v : sorted) {
            sum += v;
        }
        double mean = sum / sorted.length;
        double squares = 0;
        for (double v : sorted) {
            squares += (v - mean) * (v - mean);
        }
        return new Summary(sorted.length, mean, Math.sqrt(squares / sorted.length), percentile(sorted, 0.1),
                percentile(sorted, 0.5), percentile(sorted, 0.9));
    }

    private static double percentile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
