package dev.flywheel.monitor.drift;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The distribution detectors of one series: PSI of the latest window against the start of the stream, and
 * Page–Hinkley per policy version.
 *
 * <p>PSI's reference is the series' first {@code referenceSize} points on the stream, usually the policy the run
 * started from, so the PSI says how far the outputs have drifted since then. Each new window of {@code windowSize}
 * points after the reference is scored once when full (windows do not overlap: overlapping ones would test the same
 * points again and again and multiply the chance of a false alarm); a window takes points of any version (a version
 * rarely lives long enough to fill one alone) and an alarm names the version of the point that completed it. PSI
 * alarms are edge-triggered: a level is raised once when reached and again only after a window falls back below
 * the warn threshold.
 *
 * <p>Page–Hinkley runs separately for each policy version, because a fixed policy should produce a stationary
 * series: a change within a version points at its inputs (prompts, reward model, a bug), not at learning.
 */
final class SeriesDrift {
    private static final int VERSIONS_KEPT = 64;

    private final String series;
    private final DriftConfig config;
    private final double[] reference;
    private int referenceFilled;
    private Psi psi;
    private double noiseBound;
    private final ArrayDeque<Double> window = new ArrayDeque<>();
    private AlarmKind psiLevelRaised;
    private double latestShift;
    private final Map<Long, PageHinkley> changeByVersion = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, PageHinkley> eldest) {
            return size() > VERSIONS_KEPT;
        }
    };

    SeriesDrift(String series, DriftConfig config) {
        this.series = series;
        this.config = config;
        this.reference = new double[config.referenceSize()];
    }

    /** Adds one point; the alarms it raises. */
    List<DriftAlarm> observe(Instant at, long version, double value) {
        List<DriftAlarm> alarms = new ArrayList<>(1);
        changePoint(at, version, value).ifPresent(alarms::add);
        populationShift(at, version, value).ifPresent(alarms::add);
        return alarms;
    }

    /** The PSI of the latest full window if it cleared its sampling noise, else 0 (also before the first one). */
    double latestShift() {
        return latestShift;
    }

    private Optional<DriftAlarm> changePoint(Instant at, long version, double value) {
        PageHinkley test = changeByVersion.computeIfAbsent(version,
                v -> new PageHinkley(config.phDelta(), config.phLambda(), config.phMinSamples()));
        return test.add(value).map(change -> new DriftAlarm(at, AlarmKind.CHANGE_POINT, series, version,
                change.statistic(), String.format("%s of %s moved %s: Page–Hinkley %.1f > λ %.1f standard deviations "
                                + "after %d points, away from a mean of %.4g", series, versionText(version),
                        change.direction() == PageHinkley.Direction.UP ? "up" : "down", change.statistic(),
                        config.phLambda(), change.samples(), change.before())));
    }

    private Optional<DriftAlarm> populationShift(Instant at, long version, double value) {
        if (referenceFilled < reference.length) {
            reference[referenceFilled++] = value;
            if (referenceFilled == reference.length) {
                psi = Psi.against(reference, config.psiBins(), config.psiEpsilon());
                noiseBound = psi.noiseBound(config.windowSize(), config.psiNoiseSigmas());
            }
            return Optional.empty();
        }
        window.addLast(value);
        if (window.size() < config.windowSize()) {
            return Optional.empty();
        }
        double index = psi.of(window.stream().mapToDouble(Double::doubleValue).toArray());
        window.clear();
        latestShift = index >= noiseBound ? index : 0;
        AlarmKind level = latestShift >= config.psiAlarm() ? AlarmKind.PSI_ALARM
                : latestShift >= config.psiWarn() ? AlarmKind.PSI_WARN : null;
        if (level == null) {
            psiLevelRaised = null;
            return Optional.empty();
        }
        if (psiLevelRaised != null && psiLevelRaised.ordinal() >= level.ordinal()) {
            return Optional.empty();
        }
        psiLevelRaised = level;
        double threshold = level == AlarmKind.PSI_ALARM ? config.psiAlarm() : config.psiWarn();
        return Optional.of(new DriftAlarm(at, level, series, version, index, String.format(
                "%s: PSI %.3f of the %d points up to %s against the first %d points of the stream passes "
                        + "the %s threshold %.2f (sampling noise reaches %.3f)", series, index, config.windowSize(),
                versionText(version), reference.length, level.severity(), threshold, noiseBound)));
    }

    private static String versionText(long version) {
        return version == DriftAlarm.NO_VERSION ? "no policy version" : "policy version " + version;
    }
}
