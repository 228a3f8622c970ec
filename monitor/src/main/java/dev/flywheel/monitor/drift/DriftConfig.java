package dev.flywheel.monitor.drift;

import java.util.List;
import java.util.Objects;

/**
 * Settings of the drift detectors and of the {@link DriftMonitor} that runs them.
 *
 * <pre>{@code DriftConfig config = DriftConfig.defaults().withKlBound(8).withPsiThresholds(0.1, 0.25);}</pre>
 *
 * @param psiWarn            PSI at which a {@link AlarmKind#PSI_WARN} is raised
 * @param psiAlarm           PSI at which a {@link AlarmKind#PSI_ALARM} is raised
 * @param klBound            KL (as the KL series report it; the scorer's is per sequence, in nats) past which a rising
 *                           reward counts as reward hacking
 * @param psiBins            quantile bins of the PSI
 * @param psiEpsilon         share used for an empty PSI bin
 * @param psiNoiseSigmas     a PSI must also exceed what sampling noise reaches this many standard deviations out
 *                           (see {@link Psi#noiseBound}) so small windows do not alarm on chance: with 10 bins and
 *                           200-point windows noise alone reaches PSI ≈ 0.5, so the classic 0.1 / 0.2 thresholds
 *                           only separate warn from alarm with windows of about 1000 points. The bound's χ² tail is
 *                           thinner than PSI's (random reference quantiles add outliers): on 200-point normal
 *                           samples about 5 in a million windows pass the 5-σ bound
 * @param referenceSize      points of a series, from the start of the stream, that form its PSI reference
 * @param windowSize         points of a series in each new window compared with the reference
 * @param phDelta            Page–Hinkley tolerated drift, in standard deviations
 * @param phLambda           Page–Hinkley evidence threshold, in standard deviations
 * @param phMinSamples       points of a policy version that teach Page–Hinkley its scale before it may alarm
 * @param trendWindow        latest reward points whose slope tells whether the reward is rising
 * @param trendMinT          t-statistic of that slope from which the reward counts as rising
 * @param rewardSeries       reward series (change points, PSI, and the rising side of reward hacking)
 * @param klSeries           KL series (change points, PSI, and the KL side of reward hacking)
 * @param lengthSeries       response-length series (change points, PSI, and the length side of reward hacking)
 * @param recentAlarms       alarms kept for {@link DriftMonitor#recentAlarms()}
 * @param groupId            consumer group whose committed offset on fw.metrics marks what the monitor has handled
 */
public record DriftConfig(
        double psiWarn,
        double psiAlarm,
        double klBound,
        int psiBins,
        double psiEpsilon,
        double psiNoiseSigmas,
        int referenceSize,
        int windowSize,
        double phDelta,
        double phLambda,
        int phMinSamples,
        int trendWindow,
        double trendMinT,
        List<String> rewardSeries,
        List<String> klSeries,
        List<String> lengthSeries,
        int recentAlarms,
        String groupId) {

    /** Validates every setting and names the fix when one is wrong. */
    public DriftConfig {
        if (!(psiWarn > 0 && psiWarn <= psiAlarm) || Double.isInfinite(psiAlarm)) {
            throw new IllegalArgumentException("PSI thresholds must satisfy 0 < warn <= alarm, were warn=" + psiWarn
                    + ", alarm=" + psiAlarm + "; the usual ones are 0.1 and 0.2");
        }
        if (!(klBound > 0) || Double.isInfinite(klBound)) {
            throw new IllegalArgumentException("KL bound must be positive and finite, was " + klBound
                    + "; set it to the largest KL you accept from the reference model");
        }
        if (psiBins < 2 || referenceSize < psiBins || windowSize < psiBins) {
            throw new IllegalArgumentException("PSI needs at least 2 bins and reference and window of at least one "
                    + "point per bin, were bins=" + psiBins + ", reference=" + referenceSize + ", window=" + windowSize);
        }
        if (!(psiEpsilon > 0 && psiEpsilon < 1) || !(psiNoiseSigmas >= 0) || Double.isInfinite(psiNoiseSigmas)) {
            throw new IllegalArgumentException("PSI epsilon must be in (0, 1) and noise sigmas >= 0, were "
                    + psiEpsilon + " and " + psiNoiseSigmas);
        }
        // PageHinkley and RewardHackingDetector validate their own parameters; fail here, at configuration time.
        new PageHinkley(phDelta, phLambda, phMinSamples);
        new RewardHackingDetector(trendWindow, trendMinT, klBound, psiWarn);
        rewardSeries = List.copyOf(rewardSeries);
        klSeries = List.copyOf(klSeries);
        lengthSeries = List.copyOf(lengthSeries);
        if (rewardSeries.isEmpty() && klSeries.isEmpty() && lengthSeries.isEmpty()) {
            throw new IllegalArgumentException("no series to watch: name at least one reward, KL or length series");
        }
        if (recentAlarms < 1) {
            throw new IllegalArgumentException("recentAlarms must be at least 1, was " + recentAlarms);
        }
        if (Objects.requireNonNull(groupId, "groupId").isBlank()) {
            throw new IllegalArgumentException("groupId is blank: name the monitor's consumer group, e.g. fw-monitor-drift");
        }
    }

    /**
     * PSI warn 0.1 and alarm 0.2 in 10 bins with a 5-σ noise gate, reference and windows of 200 points; KL bound 8
     * nats (above the learner's default target KL of 6 and below its publishing guard of 10, so it speaks before the
     * guard stops versions); Page–Hinkley δ = 0.5 and λ = 25 standard deviations after 20 points; reward rising at
     * t ≥ 4 over 30 points. Watches the scorer's reward, RM score, KL and length means per window and the learner's
     * reward, KL and length per publish interval.
     */
    public static DriftConfig defaults() {
        return new DriftConfig(0.1, 0.2, 8.0, 10, 1e-4, 5.0, 200, 200, 0.5, 25, 20, 30, 4.0,
                List.of("scorer.reward.mean", "scorer.rm_score.mean", "learner.reward_mean"),
                List.of("scorer.kl.mean", "learner.kl"),
                List.of("scorer.response_length.mean", "learner.response_length"),
                256, "fw-monitor-drift");
    }

    /** The same settings with these PSI thresholds. */
    public DriftConfig withPsiThresholds(double warn, double alarm) {
        return new DriftConfig(warn, alarm, klBound, psiBins, psiEpsilon, psiNoiseSigmas, referenceSize, windowSize,
                phDelta, phLambda, phMinSamples, trendWindow, trendMinT, rewardSeries, klSeries, lengthSeries,
                recentAlarms, groupId);
    }

    /** The same settings with this KL bound. */
    public DriftConfig withKlBound(double bound) {
        return new DriftConfig(psiWarn, psiAlarm, bound, psiBins, psiEpsilon, psiNoiseSigmas, referenceSize, windowSize,
                phDelta, phLambda, phMinSamples, trendWindow, trendMinT, rewardSeries, klSeries, lengthSeries,
                recentAlarms, groupId);
    }

    /** The same settings with a PSI reference of {@code reference} points and windows of {@code window} points. */
    public DriftConfig withPsiWindows(int reference, int window) {
        return new DriftConfig(psiWarn, psiAlarm, klBound, psiBins, psiEpsilon, psiNoiseSigmas, reference, window,
                phDelta, phLambda, phMinSamples, trendWindow, trendMinT, rewardSeries, klSeries, lengthSeries,
                recentAlarms, groupId);
    }

    /** The same settings with these Page–Hinkley parameters. */
    public DriftConfig withPageHinkley(double delta, double lambda, int minSamples) {
        return new DriftConfig(psiWarn, psiAlarm, klBound, psiBins, psiEpsilon, psiNoiseSigmas, referenceSize,
                windowSize, delta, lambda, minSamples, trendWindow, trendMinT, rewardSeries, klSeries, lengthSeries,
                recentAlarms, groupId);
    }

    /** The same settings with the reward counted as rising at t ≥ {@code minT} over {@code window} points. */
    public DriftConfig withTrend(int window, double minT) {
        return new DriftConfig(psiWarn, psiAlarm, klBound, psiBins, psiEpsilon, psiNoiseSigmas, referenceSize,
                windowSize, phDelta, phLambda, phMinSamples, window, minT, rewardSeries, klSeries, lengthSeries,
                recentAlarms, groupId);
    }

    /** The same settings watching these series. */
    public DriftConfig withSeries(List<String> reward, List<String> kl, List<String> length) {
        return new DriftConfig(psiWarn, psiAlarm, klBound, psiBins, psiEpsilon, psiNoiseSigmas, referenceSize,
                windowSize, phDelta, phLambda, phMinSamples, trendWindow, trendMinT, reward, kl, length,
                recentAlarms, groupId);
    }

    /** The same settings with this consumer group. */
    public DriftConfig withGroupId(String group) {
        return new DriftConfig(psiWarn, psiAlarm, klBound, psiBins, psiEpsilon, psiNoiseSigmas, referenceSize,
                windowSize, phDelta, phLambda, phMinSamples, trendWindow, trendMinT, rewardSeries, klSeries,
                lengthSeries, recentAlarms, group);
    }

    /** Whether {@code series} is one of the watched series. */
    public boolean watches(String series) {
        return rewardSeries.contains(series) || klSeries.contains(series) || lengthSeries.contains(series);
    }
}
