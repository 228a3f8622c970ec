package dev.flywheel.monitor.dashboard;

import dev.flywheel.monitor.lag.GroupLag;
import dev.flywheel.monitor.lag.LagReport;
import dev.flywheel.monitor.lag.PartitionLag;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The lag monitor's latest sample as the dashboard shows it: per group its status and totals, per partition the
 * offsets and the lag in records and seconds.
 *
 * @param at     when the sample was taken, epoch milliseconds; 0 before the first sample
 * @param groups one entry per consumer group, in the lag monitor's order
 */
public record LagView(long at, List<Group> groups) {

    public LagView {
        groups = List.copyOf(groups);
    }

    /** No sample yet. */
    public static LagView empty() {
        return new LagView(0, List.of());
    }

    /** The view of a lag report. */
    public static LagView of(LagReport report) {
        List<Group> groups = report.groups().stream().map(LagView::group).toList();
        return new LagView(report.at().toEpochMilli(), groups);
    }

    /** Records of lag per group, for the lag-over-time chart. */
    Map<String, Long> recordsByGroup() {
        Map<String, Long> out = new TreeMap<>();
        groups.forEach(group -> out.put(group.group(), group.lagRecords()));
        return out;
    }

    private static Group group(GroupLag lag) {
        List<Partition> partitions = lag.partitions().stream().map(LagView::partition).toList();
        return new Group(lag.group(), lag.state(), lag.status().name(), lag.totalLagRecords(),
                finiteOrNull(lag.maxLagSeconds()), partitions);
    }

    private static Partition partition(PartitionLag lag) {
        return new Partition(lag.topic(), lag.partition(), lag.committedOffset(), lag.endOffset(), lag.lagRecords(),
                finiteOrNull(lag.lagSeconds()), lag.consumerId(), lag.host());
    }

    /** JSON has no NaN: an unknown number of seconds travels as null. */
    private static Double finiteOrNull(double value) {
        return Double.isFinite(value) ? value : null;
    }

    /** One consumer group: its state, Burrow-style status, total lag in records and worst lag in seconds. */
    public record Group(String group, String state, String status, long lagRecords, Double maxLagSeconds,
                        List<Partition> partitions) {
        public Group {
            partitions = List.copyOf(partitions);
        }
    }

    /** One partition a group consumes. */
    public record Partition(String topic, int partition, long committedOffset, long endOffset, long lagRecords,
                            Double lagSeconds, String consumerId, String host) {
    }
}
