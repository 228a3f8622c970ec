package dev.flywheel.monitor.drift;

import dev.flywheel.schemas.MetricKind;
import dev.flywheel.schemas.MetricPoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Every drift detector of a {@link DriftConfig}, fed point by point: PSI and Page–Hinkley on each watched series
 * (see {@link SeriesDrift}) and a {@link RewardHackingDetector} per reward series, raised at most once per policy
 * version and never for a version older than one already flagged. Pure and deterministic: the same points in the
 * same order raise the same alarms, which is what lets {@link DriftMonitor} rebuild its state by replaying fw.metrics.
 *
 * <p>Not thread-safe: feed it from one thread.
 */
public final class DriftDetectors {
    private final DriftConfig config;
    private final Map<String, SeriesDrift> bySeries = new HashMap<>();
    private final Map<String, RewardHackingDetector> hackingByReward = new HashMap<>();
    private final Map<String, Long> hackingFlaggedUpTo = new HashMap<>();

    /** Fresh detectors for {@code config}. */
    public DriftDetectors(DriftConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        for (String reward : config.rewardSeries()) {
            hackingByReward.put(reward, new RewardHackingDetector(config.trendWindow(), config.trendMinT(),
                    config.klBound(), config.psiWarn()));
        }
    }

    /** Whether {@code point} feeds a detector: a finite STAT or GAUGE of a watched series, not an alarm. */
    public boolean accepts(MetricPoint point) {
        return (point.getKind() == MetricKind.STAT || point.getKind() == MetricKind.GAUGE)
                && config.watches(point.getSeries()) && Double.isFinite(point.getValue());
    }

    /** Feeds one point from fw.metrics; points it does not {@linkplain #accepts accept} raise nothing. */
    public List<DriftAlarm> observe(MetricPoint point) {
        if (!accepts(point)) {
            return List.of();
        }
        Long version = point.getPolicyVersion();
        return observe(point.getSeries(), version == null ? DriftAlarm.NO_VERSION : version, point.getTs(),
                point.getValue());
    }

    /** Feeds one finite value of {@code series} for {@code policyVersion} at event time {@code at}. */
    public List<DriftAlarm> observe(String series, long policyVersion, Instant at, double value) {
        if (!config.watches(series) || !Double.isFinite(value)) {
            return List.of();
        }
        SeriesDrift drift = bySeries.computeIfAbsent(series, s -> new SeriesDrift(s, config));
        List<DriftAlarm> alarms = new ArrayList<>(drift.observe(at, policyVersion, value));
        if (config.klSeries().contains(series)) {
            hackingByReward.values().forEach(detector -> detector.klObserved(series, value));
        }
        if (config.lengthSeries().contains(series)) {
            hackingByReward.values().forEach(detector -> detector.lengthPsiObserved(series, drift.latestShift()));
        }
        RewardHackingDetector hacking = hackingByReward.get(series);
        if (hacking != null) {
            hacking.rewardObserved(value).flatMap(verdict -> flag(series, policyVersion, at, verdict))
                    .ifPresent(alarms::add);
        }
        return alarms;
    }

    private Optional<DriftAlarm> flag(String series, long version, Instant at, RewardHackingDetector.Verdict verdict) {
        Long flagged = hackingFlaggedUpTo.get(series);
        if (flagged != null && version <= flagged) {
            return Optional.empty();
        }
        hackingFlaggedUpTo.put(series, version);
        return Optional.of(new DriftAlarm(at, AlarmKind.REWARD_HACKING, series, version, verdict.trendT(),
                String.format("possible reward hacking at %s: %s keeps rising (%+.4g per point, t = %.1f over %d "
                                + "points) while %s", version == DriftAlarm.NO_VERSION ? "no policy version"
                                : "policy version " + version, series, verdict.slope(), verdict.trendT(),
                        config.trendWindow(), verdict.evidence())));
    }
}
