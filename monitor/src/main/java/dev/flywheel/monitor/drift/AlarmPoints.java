package dev.flywheel.monitor.drift;

import dev.flywheel.schemas.MetricKind;
import dev.flywheel.schemas.MetricPoint;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * Drift alarms as fw.metrics points and back: kind ALARM, series {@code monitor.alarm.<kind>}, the statistic as
 * value, the policy version, the message, and tags {@code component=monitor}, {@code source=<input series>},
 * {@code severity=warn|alarm}.
 */
public final class AlarmPoints {
    /** The {@code component} tag of every point the monitor writes. */
    public static final String COMPONENT = "monitor";

    private AlarmPoints() {
    }

    /** The fw.metrics point of {@code alarm}, keyed (as fw.metrics is) by its series. */
    public static MetricPoint toPoint(DriftAlarm alarm) {
        return MetricPoint.newBuilder()
                .setId(alarm.id())
                .setTs(alarm.at())
                .setSeries(alarm.kind().alarmSeries())
                .setKind(MetricKind.ALARM)
                .setValue(alarm.value())
                .setPolicyVersion(alarm.policyVersion() == DriftAlarm.NO_VERSION ? null : alarm.policyVersion())
                .setMessage(alarm.message())
                .setTags(Map.of("component", COMPONENT, "source", alarm.series(), "severity", alarm.kind().severity()))
                .build();
    }

    /** The drift alarm a point written by {@link #toPoint} holds; empty for any other point. */
    public static Optional<DriftAlarm> fromPoint(MetricPoint point) {
        if (point.getKind() != MetricKind.ALARM || !COMPONENT.equals(tag(point, "component"))) {
            return Optional.empty();
        }
        Optional<AlarmKind> kind = Arrays.stream(AlarmKind.values())
                .filter(k -> k.alarmSeries().equals(point.getSeries())).findFirst();
        String source = tag(point, "source");
        if (kind.isEmpty() || source == null) {
            return Optional.empty();
        }
        Long version = point.getPolicyVersion();
        return Optional.of(new DriftAlarm(point.getTs(), kind.get(), source,
                version == null ? DriftAlarm.NO_VERSION : version, point.getValue(),
                point.getMessage() == null ? "" : point.getMessage()));
    }

    /** Whether {@code point} was written by the monitor itself, so the detectors must not read it. */
    public static boolean isOwn(MetricPoint point) {
        return point.getKind() == MetricKind.ALARM || COMPONENT.equals(tag(point, "component"));
    }

    private static String tag(MetricPoint point, String name) {
        Map<String, String> tags = point.getTags();
        return tags == null ? null : tags.get(name);
    }
}
