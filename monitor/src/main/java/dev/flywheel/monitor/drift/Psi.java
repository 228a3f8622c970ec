package dev.flywheel.monitor.drift;

import java.util.Arrays;

/**
 * Population stability index of a window against a reference sample: Σ (w − r)·ln(w / r) over bins, where r and w
 * are the shares of the reference and of the window in each bin.
 *
 * <p>Bin edges are the reference's quantiles, so each bin holds about the same share of the reference; a value on
 * an edge belongs to the bin below it. Equal quantiles (a reference with repeated values) merge into one edge, so
 * there may be fewer bins than asked for. A share of zero is replaced by {@code epsilon}, so a bin the window leaves
 * empty, or fills where the reference had nothing, adds a large but finite term.
 *
 * <pre>{@code Psi psi = Psi.against(reference, 10, 1e-4); double shift = psi.of(window);}</pre>
 */
public final class Psi {
    private final double[] edges;
    private final double[] referenceShares;
    private final int referenceSize;
    private final double epsilon;

    private Psi(double[] edges, double[] referenceShares, int referenceSize, double epsilon) {
        this.edges = edges;
        this.referenceShares = referenceShares;
        this.referenceSize = referenceSize;
        this.epsilon = epsilon;
    }

    /** The index for windows compared with {@code reference}, in at most {@code bins} quantile bins. */
    public static Psi against(double[] reference, int bins, double epsilon) {
        if (reference.length < 2) {
            throw new IllegalArgumentException("PSI needs a reference of at least 2 values, got " + reference.length);
        }
        if (bins < 2) {
            throw new IllegalArgumentException("PSI needs at least 2 bins, got " + bins);
        }
        if (!(epsilon > 0 && epsilon < 1)) {
            throw new IllegalArgumentException("PSI epsilon (the share used for an empty bin) must be in (0, 1), was "
                    + epsilon + "; 1e-4 is usual");
        }
        double[] sorted = reference.clone();
        for (double value : sorted) {
            requireFinite(value, "reference");
        }
        Arrays.sort(sorted);
        double[] edges = Arrays.stream(quantileEdges(sorted, bins)).distinct().toArray();
        double[] shares = shares(edges, sorted);
        return new Psi(edges, shares, sorted.length, epsilon);
    }

    /** The PSI of {@code window} against the reference; 0 means the same distribution over these bins. */
    public double of(double[] window) {
        if (window.length == 0) {
            throw new IllegalArgumentException("PSI of an empty window is undefined: pass at least one value");
        }
        for (double value : window) {
            requireFinite(value, "window");
        }
        double[] windowShares = shares(edges, window);
        double psi = 0;
        for (int bin = 0; bin < referenceShares.length; bin++) {
            double r = Math.max(referenceShares[bin], epsilon);
            double w = Math.max(windowShares[bin], epsilon);
            psi += (w - r) * Math.log(w / r);
        }
        return psi;
    }

    /**
     * The PSI that a window of {@code windowSize} values drawn from the reference's own distribution exceeds with the
     * chance of a normal variable exceeding {@code sigmas}: sampling noise, not drift. For small samples PSI behaves
     * like a χ² with (bins − 1) degrees of freedom scaled by (1/reference + 1/window); the quantile uses the
     * Wilson–Hilferty approximation.
     */
    public double noiseBound(int windowSize, double sigmas) {
        int freedom = bins() - 1;
        if (freedom < 1 || windowSize < 1) {
            return 0;
        }
        double a = 2.0 / (9.0 * freedom);
        double quantile = freedom * Math.pow(Math.max(0, 1 - a + sigmas * Math.sqrt(a)), 3);
        return quantile * (1.0 / referenceSize + 1.0 / windowSize);
    }

    /** The number of bins after merging equal quantiles. */
    public int bins() {
        return referenceShares.length;
    }

    private static double[] quantileEdges(double[] sorted, int bins) {
        double[] edges = new double[bins - 1];
        for (int i = 1; i < bins; i++) {
            double position = (double) i * (sorted.length - 1) / bins;
            int below = (int) Math.floor(position);
            double fraction = position - below;
            int above = Math.min(below + 1, sorted.length - 1);
            edges[i - 1] = sorted[below] + fraction * (sorted[above] - sorted[below]);
        }
        return edges;
    }

    private static double[] shares(double[] edges, double[] values) {
        double[] counts = new double[edges.length + 1];
        for (double value : values) {
            counts[binOf(edges, value)]++;
        }
        for (int bin = 0; bin < counts.length; bin++) {
            counts[bin] /= values.length;
        }
        return counts;
    }

    private static int binOf(double[] edges, double value) {
        int found = Arrays.binarySearch(edges, value);
        // An exact hit on an edge belongs to the bin below it; otherwise the insertion point is the bin.
        return found >= 0 ? found : -found - 1;
    }

    private static void requireFinite(double value, String where) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("PSI " + where + " holds " + value + ": pass finite values only");
        }
    }
}
