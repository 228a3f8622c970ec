package dev.flywheel.monitor.lag;

import dev.flywheel.runtime.config.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the timestamp of the record at given offsets with one lightweight consumer: no group, no commits, small
 * fetches, assign + seek + poll with a bounded wait. When the offset holds a transaction marker or a record that was
 * compacted or deleted away, the next record's timestamp stands in: it is the oldest record the group has not read.
 */
final class RecordTimestamps implements AutoCloseable {

    /** One offset to look up on a partition, with the partition's end so an empty tail ends the wait. */
    record Lookup(TopicPartition partition, long offset, long endOffset) {}

    private static final Duration POLL = Duration.ofMillis(100);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Duration maxWait;

    RecordTimestamps(KafkaSettings kafka, Duration maxWait) {
        Properties props = kafka.clientProperties(Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG, "flywheel-lag-probe",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // Below the log start (records deleted by retention) the oldest kept record is the oldest unread one.
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 * 1024,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 1024 * 1024));
        // A blanket group.id from the user's properties would make this probe join (and disturb) a real group.
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.maxWait = maxWait;
    }

    /**
     * The timestamp (epoch ms) of the first record at or after each lookup's offset; empty when the partition holds
     * no record up to its end (only transaction markers are left to read). Lookups not answered within the wait are
     * absent from the result.
     */
    Map<Lookup, OptionalLong> read(Collection<Lookup> lookups) {
        Map<Lookup, OptionalLong> found = new HashMap<>();
        // A consumer holds one position per partition, so groups sharing a partition are looked up in rounds.
        List<Lookup> pending = new ArrayList<>(lookups);
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            Map<TopicPartition, Lookup> round = new HashMap<>();
            List<Lookup> later = new ArrayList<>();
            for (Lookup lookup : pending) {
                if (round.putIfAbsent(lookup.partition(), lookup) != null) {
                    later.add(lookup);
                }
            }
            readRound(round, found, deadline);
            pending = later;
        }
        consumer.unsubscribe();
        return found;
    }

    private void readRound(Map<TopicPartition, Lookup> round, Map<Lookup, OptionalLong> found, long deadline) {
        consumer.assign(round.keySet());
        round.forEach((partition, lookup) -> consumer.seek(partition, lookup.offset()));
        Map<TopicPartition, Lookup> open = new HashMap<>(round);
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                Lookup lookup = open.get(partition);
                if (lookup != null && record.offset() >= lookup.offset()) {
                    found.put(lookup, OptionalLong.of(record.timestamp()));
                    open.remove(partition);
                    consumer.pause(List.of(partition));
                }
            }
            // Past the end with no record returned: only control markers were left, nothing is waiting to be read.
            open.entrySet().removeIf(e -> {
                boolean onlyMarkersLeft = pastEnd(e.getKey(), e.getValue());
                if (onlyMarkersLeft) {
                    found.put(e.getValue(), OptionalLong.empty());
                }
                return onlyMarkersLeft;
            });
        }
        consumer.resume(consumer.paused());
    }

    private boolean pastEnd(TopicPartition partition, Lookup lookup) {
        try {
            return consumer.position(partition, POLL) >= lookup.endOffset();
        } catch (org.apache.kafka.common.errors.TimeoutException resetting) {
            return false; // the position is being reset (offset out of range): the next poll will tell
        }
    }

    @Override
    public void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
