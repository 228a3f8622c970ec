package dev.flywheel.monitor.drift;

import java.util.ArrayDeque;

/**
 * The least-squares trend of the latest values of a series against their arrival order, with the t-statistic of its
 * slope: how many standard errors the slope is above zero.
 */
final class Trend {
    private final int window;
    private final ArrayDeque<Double> values = new ArrayDeque<>();

    Trend(int window) {
        if (window < 3) {
            throw new IllegalArgumentException("a trend needs a window of at least 3 points, was " + window);
        }
        this.window = window;
    }

    void add(double value) {
        values.addLast(value);
        if (values.size() > window) {
            values.removeFirst();
        }
    }

    boolean full() {
        return values.size() == window;
    }

    /** Slope per point of the latest values (0 until there are 3). */
    double slope() {
        return fit()[0];
    }

    /** The slope's t-statistic; infinite for a perfect line, 0 until there are 3 values. */
    double tStatistic() {
        return fit()[1];
    }

    private double[] fit() {
        int n = values.size();
        if (n < 3) {
            return new double[] {0, 0};
        }
        double meanX = (n - 1) / 2.0;
        double meanY = 0;
        for (double v : values) {
            meanY += v;
        }
        meanY /= n;
        double sxx = 0;
        double sxy = 0;
        int x = 0;
        for (double v : values) {
            sxx += (x - meanX) * (x - meanX);
            sxy += (x - meanX) * (v - meanY);
            x++;
        }
        double slope = sxy / sxx;
        double residuals = 0;
        x = 0;
        for (double v : values) {
            double r = v - meanY - slope * (x - meanX);
            residuals += r * r;
            x++;
        }
        double standardError = Math.sqrt(residuals / (n - 2) / sxx);
        double t = standardError > 0 ? slope / standardError : slope == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, slope);
        return new double[] {slope, t};
    }
}
