package dev.flywheel.runtime.bridge;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** The offsets to commit after processing a batch of received records, for a transactional send. */
public final class ConsumedOffsets {
    private ConsumedOffsets() {
    }

    /**
     * Per partition, one past the highest offset in {@code records}; the batch must hold every record the caller
     * received of those partitions up to that offset, as a sequential pipeline's window does.
     */
    public static Map<TopicPartition, OffsetAndMetadata> after(Collection<? extends ReceivedRecord<?, ?>> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ReceivedRecord<?, ?> record : records) {
            offsets.merge(record.topicPartition(), new OffsetAndMetadata(record.offset() + 1),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        return Map.copyOf(offsets);
    }
}
