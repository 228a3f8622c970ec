package dev.flywheel.learner.intake;

import dev.flywheel.learner.ledger.OffsetLedger;
import dev.flywheel.runtime.config.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The learner's consumer: it takes every partition of its input topics itself (one learner per model) and positions
 * them from its checkpoint's ledger, never from the group's committed offsets, which it writes only so that lag
 * monitoring and the generator's backpressure can see how far it has trained.
 */
public final class InputConsumer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InputConsumer.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<String> topics;

    private InputConsumer(KafkaConsumer<byte[], byte[]> consumer, List<String> topics) {
        this.consumer = consumer;
        this.topics = List.copyOf(topics);
    }

    /** A consumer of {@code topics} that commits (for monitoring only) in {@code group}. */
    public static InputConsumer open(KafkaSettings kafka, String group, List<String> topics) {
        var props = kafka.consumerProperties(group, Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500));
        return new InputConsumer(new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                topics);
    }

    /** Assigns every partition of the input topics and seeks each to the ledger's watermark (or the start / end). */
    public void assignFrom(OffsetLedger ledger, boolean fromLatest, Duration timeout) {
        List<TopicPartition> all = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("input topic " + topic + " does not exist: create Flywheel's topics "
                        + "with 'flywheel topics create' (or check --topic-prefix)");
            }
            infos.forEach(p -> all.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(all);
        List<TopicPartition> fresh = new ArrayList<>();
        for (TopicPartition tp : all) {
            OptionalLong at = ledger.seekOffset(tp);
            if (at.isPresent()) {
                consumer.seek(tp, at.getAsLong());
            } else {
                fresh.add(tp);
            }
        }
        if (fromLatest) {
            consumer.seekToEnd(fresh);
        } else {
            consumer.seekToBeginning(fresh);
        }
        for (TopicPartition tp : fresh) {
            ledger.startAt(tp, consumer.position(tp, timeout));
        }
        LOG.info("learner reads {} partitions of {} from {}", all.size(), topics,
                ledger.watermarks().isEmpty() ? "the start" : ledger.watermarks());
    }

    /** The partitions assigned by {@link #assignFrom}. */
    public java.util.Set<TopicPartition> assignment() {
        return consumer.assignment();
    }

    /** The offset of the next record a poll will return from {@code tp} (after transaction markers it skipped). */
    public long position(TopicPartition tp) {
        return consumer.position(tp);
    }

    /** The next records. */
    public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
        return consumer.poll(timeout);
    }

    /**
     * Commits the read positions to the group, for lag monitoring and generator backpressure only (restarts seek
     * from the checkpoint's ledger); failures are logged, never fatal.
     */
    public void commitForMonitoring(Map<TopicPartition, Long> positions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        positions.forEach((tp, offset) -> offsets.put(tp, new OffsetAndMetadata(offset)));
        consumer.commitAsync(offsets, (done, error) -> {
            if (error != null) {
                LOG.debug("monitoring commit failed: {}", error.toString());
            }
        });
    }

    /** Interrupts a blocking poll from another thread. */
    public void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
