package dev.flywheel.monitor.dashboard;

import dev.flywheel.monitor.drift.DriftAlarm;
import dev.flywheel.schemas.MetricPoint;
import java.util.Locale;
import java.util.Map;

/**
 * A drift alarm as the dashboard lists it, whether it came from this monitor's detectors or was read back from
 * fw.metrics (where any monitor instance publishes its alarms).
 *
 * @param id      the alarm's id on fw.metrics: the same alarm read back from the topic and held by the detectors is one
 * @param at      when the detector fired, epoch milliseconds
 * @param kind    PSI_WARN, PSI_ALARM, CHANGE_POINT, REWARD_HACKING, {@code GUARD_<guard>} for a learner publish guard, or
 *                whatever kind a newer component publishes
 * @param series  the watched series, e.g. scorer.reward.mean
 * @param version policy version, or null when the alarm is not per version
 * @param value   the detector's statistic
 * @param message a human-readable reason
 */
public record AlarmView(String id, long at, String kind, String series, Long version, double value, String message) {

    /** Prefix of the series of ALARM points on fw.metrics: {@code monitor.alarm.<kind in lower case>}. */
    public static final String ALARM_SERIES_PREFIX = "monitor.alarm.";

    /** The view of an alarm this monitor's detectors raised. */
    public static AlarmView of(DriftAlarm alarm) {
        Long version = alarm.policyVersion() == DriftAlarm.NO_VERSION ? null : alarm.policyVersion();
        return new AlarmView(alarm.id(), alarm.at().toEpochMilli(), alarm.kind().name(), alarm.series(), version,
                alarm.value(), alarm.message());
    }

    /**
     * The view of an ALARM point read from fw.metrics: a drift detector's ({@code monitor.alarm.<kind>}, watched series
     * in its {@code source} tag) or a learner publish guard's ({@code learner.guard.<guard>}, kind GUARD_<GUARD>).
     */
    public static AlarmView fromPoint(MetricPoint point) {
        String name = point.getSeries();
        Map<String, String> tags = point.getTags();
        String kind;
        if (name.startsWith(ALARM_SERIES_PREFIX)) {
            kind = name.substring(ALARM_SERIES_PREFIX.length()).toUpperCase(Locale.ROOT);
        } else if (tags.containsKey("guard")) {
            kind = "GUARD_" + tags.get("guard").toUpperCase(Locale.ROOT);
        } else {
            kind = tags.getOrDefault("kind", "ALARM");
        }
        String watched = tags.getOrDefault("source", name);
        String message = point.getMessage() == null ? kind + " on " + watched : point.getMessage();
        return new AlarmView(point.getId(), point.getTs().toEpochMilli(), kind, watched, point.getPolicyVersion(), point.getValue(),
                message);
    }
}
