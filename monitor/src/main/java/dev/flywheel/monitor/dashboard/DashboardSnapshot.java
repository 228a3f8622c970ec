package dev.flywheel.monitor.dashboard;

import java.util.List;
import java.util.Map;

/**
 * Everything the page draws at one moment; {@code /api/state} serves it as JSON.
 *
 * @param at                when the snapshot was taken, epoch milliseconds
 * @param series            the charted series' recent points, oldest first (see {@link DashboardSeries})
 * @param latest            per charted series with data, its newest point (latest event time, then highest version)
 * @param versions          published model versions, in publishing order
 * @param lag               the lag monitor's latest sample
 * @param lagHistory        recent lag samples, oldest first
 * @param alarms            recent drift alarms, oldest first
 * @param pointsRead        metric points read from fw.metrics since the monitor started
 * @param undecodablePoints records on fw.metrics that could not be decoded (logged, skipped)
 */
public record DashboardSnapshot(long at, Map<String, List<SeriesPoint>> series, Map<String, SeriesPoint> latest,
                                List<VersionView> versions, LagView lag, List<LagSample> lagHistory,
                                List<AlarmView> alarms, long pointsRead, long undecodablePoints) {

    public DashboardSnapshot {
        series = Map.copyOf(series);
        latest = Map.copyOf(latest);
        versions = List.copyOf(versions);
        lagHistory = List.copyOf(lagHistory);
        alarms = List.copyOf(alarms);
    }

    /** The versions of one model (e.g. "policy"), in publishing order. */
    public List<VersionView> versionsOf(String model) {
        return versions.stream().filter(v -> v.model().equals(model)).toList();
    }

    /** The lag of one group in this snapshot, if the lag monitor reported it. */
    public java.util.Optional<LagView.Group> lagOf(String group) {
        return lag.groups().stream().filter(g -> g.group().equals(group)).findFirst();
    }
}
