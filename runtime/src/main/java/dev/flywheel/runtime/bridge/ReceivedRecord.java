package dev.flywheel.runtime.bridge;

import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A record delivered by a {@link KafkaReceiver}, to be {@linkplain #acknowledge() acknowledged} once processed.
 *
 * <p>Acknowledging is thread-safe, idempotent and cheap (it enqueues for the consumer thread). An acknowledgement
 * that arrives after the record's partition was revoked is discarded: the record will be delivered again to the
 * partition's new owner (counted in {@code flywheel.receiver.acks.discarded}).
 */
public final class ReceivedRecord<K, V> {
    private final ConsumerRecord<K, V> consumerRecord;
    private final long assignmentEpoch;
    private final Acknowledger acknowledger;

    ReceivedRecord(ConsumerRecord<K, V> consumerRecord, long assignmentEpoch, Acknowledger acknowledger) {
        this.consumerRecord = Objects.requireNonNull(consumerRecord, "consumerRecord");
        this.assignmentEpoch = assignmentEpoch;
        this.acknowledger = Objects.requireNonNull(acknowledger, "acknowledger");
    }

    /** The record as the consumer returned it. */
    public ConsumerRecord<K, V> consumerRecord() {
        return consumerRecord;
    }

    /** The record's key. */
    public K key() {
        return consumerRecord.key();
    }

    /** The record's value. */
    public V value() {
        return consumerRecord.value();
    }

    /** The record's partition. */
    public TopicPartition topicPartition() {
        return new TopicPartition(consumerRecord.topic(), consumerRecord.partition());
    }

    /** The record's offset. */
    public long offset() {
        return consumerRecord.offset();
    }

    /** The offset to commit once this record is processed: the next one, as Kafka's commit convention says. */
    public Map<TopicPartition, OffsetAndMetadata> offsetAfter() {
        return Map.of(topicPartition(), new OffsetAndMetadata(consumerRecord.offset() + 1));
    }

    /** Marks the record processed; its offset is committed once every earlier record of its partition is too. */
    public void acknowledge() {
        acknowledger.acknowledge(topicPartition(), consumerRecord.offset(), assignmentEpoch);
    }

    long assignmentEpoch() {
        return assignmentEpoch;
    }

    @Override
    public String toString() {
        return "ReceivedRecord[" + consumerRecord.topic() + "-" + consumerRecord.partition() + "@"
                + consumerRecord.offset() + "]";
    }

    /** Where acknowledgements go: the receiver's consumer thread. */
    interface Acknowledger {
        void acknowledge(TopicPartition partition, long offset, long assignmentEpoch);
    }
}
