package dev.flywheel.monitor.lag;

import java.util.Objects;

/**
 * How far one group is behind on one partition: offsets, lag in records (end − committed, as Kafka's own
 * {@code kafka-consumer-groups} computes it) and in seconds (now − timestamp of the record at the committed offset;
 * {@code NaN} when that record could not be read in time), and which consumer owns the partition.
 */
public record PartitionLag(String topic, int partition, long committedOffset, long endOffset, long lagRecords,
                           double lagSeconds, String consumerId, String host) {

    /** What {@link #consumerId()} and {@link #host()} hold when no member owns the partition, as Kafka's tool shows. */
    public static final String NONE = "-";

    public PartitionLag {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(consumerId, "consumerId");
        Objects.requireNonNull(host, "host");
    }

    /** Whether a live member of the group owns this partition (and so can still commit on it). */
    public boolean owned() {
        return !NONE.equals(consumerId);
    }

    /** Whether the seconds lag is known. */
    public boolean lagSecondsKnown() {
        return !Double.isNaN(lagSeconds);
    }
}
