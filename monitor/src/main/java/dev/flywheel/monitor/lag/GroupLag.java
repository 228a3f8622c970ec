package dev.flywheel.monitor.lag;

import java.util.List;
import java.util.Objects;

/** One consumer group's lag on every partition it has committed on, its group state and its windowed status. */
public record GroupLag(String group, String state, LagStatus status, List<PartitionLag> partitions) {

    public GroupLag {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(status, "status");
        partitions = List.copyOf(partitions);
    }

    /** Records the group still has to read, over all its partitions (negative lags, after a truncation, count 0). */
    public long totalLagRecords() {
        return partitions.stream().mapToLong(p -> Math.max(0, p.lagRecords())).sum();
    }

    /** The oldest unread record's age over all partitions, in seconds; 0 with no partitions, unknown ones skipped. */
    public double maxLagSeconds() {
        return partitions.stream().filter(PartitionLag::lagSecondsKnown).mapToDouble(PartitionLag::lagSeconds)
                .max().orElse(0.0);
    }

    /** The same group with another status. */
    public GroupLag withStatus(LagStatus newStatus) {
        return new GroupLag(group, state, newStatus, partitions);
    }
}
