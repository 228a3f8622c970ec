package dev.flywheel.monitor.dashboard;

import dev.flywheel.schemas.MetricPoint;

/**
 * One point of a charted series as the page receives it.
 *
 * @param at      event time of the point (a statistic's window end), epoch milliseconds
 * @param version policy version the value belongs to, or null when it is not per version
 * @param value   the value in base units
 * @param count   observations behind a statistic, or null
 */
public record SeriesPoint(long at, Long version, double value, Long count) {

    /** The chart point of a metric point. */
    public static SeriesPoint of(MetricPoint point) {
        return new SeriesPoint(point.getTs().toEpochMilli(), point.getPolicyVersion(), point.getValue(), point.getCount());
    }
}
