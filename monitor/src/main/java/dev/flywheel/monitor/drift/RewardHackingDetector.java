package dev.flywheel.monitor.drift;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Flags the signature of reward hacking: the reward keeps rising while the policy walks away from its reference,
 * seen as a KL past its bound or a shifted response-length distribution.
 *
 * <p>The reward is rising when the least-squares slope of its latest {@code trendWindow} points is at least
 * {@code minTrendT} standard errors above zero. The KL passes its bound when the latest value of any KL series
 * exceeds {@code klBound}; the lengths shifted when the latest PSI of any length series (one that cleared its
 * sampling noise) reached {@code psiWarn}. A rising reward alone is what training is for and raises nothing.
 *
 * <p>Not thread-safe: one instance per reward series, fed from one thread.
 */
public final class RewardHackingDetector {
    private final Trend trend;
    private final double minTrendT;
    private final double klBound;
    private final double psiWarn;
    private final Map<String, Double> latestKl = new LinkedHashMap<>();
    private final Map<String, Double> latestLengthPsi = new LinkedHashMap<>();

    /** A detector of a rise over {@code trendWindow} points at {@code minTrendT}, against these bounds. */
    public RewardHackingDetector(int trendWindow, double minTrendT, double klBound, double psiWarn) {
        if (!(minTrendT > 0) || !(klBound > 0) || !(psiWarn > 0)) {
            throw new IllegalArgumentException("reward-hacking detector needs minTrendT, klBound and psiWarn > 0, were "
                    + minTrendT + ", " + klBound + ", " + psiWarn);
        }
        this.trend = new Trend(trendWindow);
        this.minTrendT = minTrendT;
        this.klBound = klBound;
        this.psiWarn = psiWarn;
    }

    /**
     * Evidence of reward hacking.
     *
     * @param trendT   t-statistic of the reward's rise
     * @param slope    the reward's rise per point
     * @param evidence which KL or length series passed its bound, with the values
     */
    public record Verdict(double trendT, double slope, String evidence) {
    }

    /** Records the latest value of a KL series. */
    public void klObserved(String series, double kl) {
        latestKl.put(series, kl);
    }

    /** Records the latest PSI of a response-length series against its reference (0 when within sampling noise). */
    public void lengthPsiObserved(String series, double psi) {
        latestLengthPsi.put(series, psi);
    }

    /** Adds a reward point; a verdict when the reward is rising and the KL or the lengths have moved away. */
    public Optional<Verdict> rewardObserved(double reward) {
        trend.add(reward);
        if (!trend.full()) {
            return Optional.empty();
        }
        double t = trend.tStatistic();
        if (!(t >= minTrendT)) {
            return Optional.empty();
        }
        StringBuilder evidence = new StringBuilder();
        latestKl.forEach((series, kl) -> {
            if (kl > klBound) {
                append(evidence, String.format("%s %.4g > KL bound %.4g", series, kl, klBound));
            }
        });
        latestLengthPsi.forEach((series, psi) -> {
            if (psi >= psiWarn) {
                append(evidence, String.format("%s PSI %.3f >= %.3f", series, psi, psiWarn));
            }
        });
        return evidence.isEmpty() ? Optional.empty() : Optional.of(new Verdict(t, trend.slope(), evidence.toString()));
    }

    private static void append(StringBuilder text, String part) {
        text.append(text.isEmpty() ? "" : "; ").append(part);
    }
}
