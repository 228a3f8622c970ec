package dev.flywheel.monitor.dashboard;

import dev.flywheel.monitor.drift.DriftAlarm;
import dev.flywheel.schemas.MetricPoint;
import java.util.Locale;

/**
 * A drift alarm as the dashboard lists it, whether it came from this monitor's detectors or was read back from
 * fw.metrics (where any monitor instance publishes its alarms).
 *
 * @param id      the alarm's id on fw.metrics: the same alarm read back from the topic and held by the detectors is one
 * @param at      when the detector fired, epoch milliseconds
 * @param kind    PSI_WARN, PSI_ALARM, CHANGE_POINT, REWARD_HACKING, or whatever kind a newer monitor publishes
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

    /** The view of an ALARM point read from fw.metrics; the watched series is its {@code source} tag. */
    public static AlarmView fromPoint(MetricPoint point) {
        String name = point.getSeries();
        String kind = name.startsWith(ALARM_SERIES_PREFIX)
                ? name.substring(ALARM_SERIES_PREFIX.length()).toUpperCase(Locale.ROOT)
                : point.getTags().getOrDefault("kind", "ALARM");
        String watched = point.getTags().getOrDefault("source", name);
        String message = point.getMessage() == null ? kind + " on " + watched : point.getMessage();
        return new AlarmView(point.getId(), point.getTs().toEpochMilli(), kind, watched, point.getPolicyVersion(), point.getValue(),
                message);
    }
}
