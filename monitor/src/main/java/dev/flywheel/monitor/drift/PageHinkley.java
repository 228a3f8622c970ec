package dev.flywheel.monitor.drift;

import java.util.Optional;

/**
 * Two-sided Page–Hinkley test for a change in the mean of a stream, in units of the stream's own spread.
 *
 * <p>The first {@code minSamples} values only teach it the stream's scale (their standard deviation, never below
 * 1e-6 or 1% of their mean's magnitude, so a series that was constant while warming up does not alarm on rounding
 * noise). After that each value x adds {@code (x − mean)/scale − delta} to the upward sum and
 * {@code (mean − x)/scale − delta} to the downward one, where mean is the running mean of every value so far; a
 * change is reported when either sum rises more than {@code lambda} above its lowest point. {@code delta} is the
 * drift it tolerates and {@code lambda} the evidence it needs, both in standard deviations. After a change it
 * starts afresh, warm-up included, so a lasting shift is reported once.
 *
 * <p>Not thread-safe: one instance per stream, fed from one thread.
 */
public final class PageHinkley {
    private static final double MIN_SCALE = 1e-6;
    private static final double MIN_RELATIVE_SCALE = 0.01;

    private final double delta;
    private final double lambda;
    private final int minSamples;
    private long count;
    private double mean;
    private double squares;
    private double scale;
    private double upSum;
    private double upMin;
    private double downSum;
    private double downMin;

    /**
     * A detector tolerating drift {@code delta} and needing evidence {@code lambda} (both in standard deviations)
     * after {@code minSamples} warm-up values.
     */
    public PageHinkley(double delta, double lambda, int minSamples) {
        if (!(delta >= 0) || !(lambda > 0) || Double.isInfinite(delta) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("Page–Hinkley needs delta >= 0 and lambda > 0 (finite), were delta="
                    + delta + ", lambda=" + lambda + "; e.g. delta=0.5, lambda=25");
        }
        if (minSamples < 2) {
            throw new IllegalArgumentException("Page–Hinkley needs at least 2 warm-up samples to learn a scale, was "
                    + minSamples);
        }
        this.delta = delta;
        this.lambda = lambda;
        this.minSamples = minSamples;
    }

    /** Which way the mean moved. */
    public enum Direction { UP, DOWN }

    /**
     * A detected change.
     *
     * @param direction which way the mean moved
     * @param statistic the Page–Hinkley statistic that passed lambda, in standard deviations
     * @param samples   values seen since the last start, the one that raised it included
     * @param before    the mean of those values: roughly the level the stream moved away from
     */
    public record Change(Direction direction, double statistic, long samples, double before) {
    }

    /** Adds {@code value}; a change when this value completes the evidence, after which the test starts afresh. */
    public Optional<Change> add(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("Page–Hinkley takes finite values, got " + value);
        }
        double previousMean = mean;
        count++;
        double deviation = value - mean;
        mean += deviation / count;
        squares += deviation * (value - mean);
        if (count < minSamples) {
            return Optional.empty();
        }
        if (count == minSamples) {
            double std = Math.sqrt(squares / (count - 1));
            scale = Math.max(std, Math.max(MIN_SCALE, MIN_RELATIVE_SCALE * Math.abs(mean)));
            return Optional.empty();
        }
        double z = (value - mean) / scale;
        upSum += z - delta;
        upMin = Math.min(upMin, upSum);
        downSum += -z - delta;
        downMin = Math.min(downMin, downSum);
        double up = upSum - upMin;
        double down = downSum - downMin;
        if (up <= lambda && down <= lambda) {
            return Optional.empty();
        }
        Change change = up >= down
                ? new Change(Direction.UP, up, count, previousMean)
                : new Change(Direction.DOWN, down, count, previousMean);
        reset();
        return Optional.of(change);
    }

    /** Values seen since the last start. */
    public long samples() {
        return count;
    }

    /** Whether the warm-up is over, so a change can be reported. */
    public boolean warmedUp() {
        return count >= minSamples;
    }

    private void reset() {
        count = 0;
        mean = 0;
        squares = 0;
        scale = 0;
        upSum = 0;
        upMin = 0;
        downSum = 0;
        downMin = 0;
    }
}
