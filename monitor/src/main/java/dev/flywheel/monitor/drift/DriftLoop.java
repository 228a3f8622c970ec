package dev.flywheel.monitor.drift;

import dev.flywheel.runtime.deadletter.DeadLetters;
import dev.flywheel.schemas.MetricPoint;
import dev.flywheel.schemas.serde.AvroSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * One pass of the drift monitor over fw.metrics: from the beginning of the topic, feeding every point to fresh
 * {@link DriftDetectors}, so their references and windows are rebuilt exactly as before a restart.
 *
 * <p>Records below the group's committed offset were handled by an earlier run: they only rebuild state and refill
 * the recent alarms. From the committed offset on, each poll's alarms are published and its undecodable records
 * dead-lettered, and only once the broker has all of them is the offset committed; so a crash re-publishes at most
 * the last poll's alarms, under the same ids.
 */
final class DriftLoop {
    private static final Logger LOG = LoggerFactory.getLogger(DriftLoop.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration WRITE_TIMEOUT = Duration.ofMinutes(2);

    /** What the loop does with what it finds. */
    interface Outlet {
        /** An alarm raised; {@code live} when it is new (not replayed from before the committed offset). */
        void alarm(DriftAlarm alarm, boolean live);

        /** Publishes a live alarm; completes once the broker has it. */
        Mono<?> publish(DriftAlarm alarm);

        /** A point fed to the detectors. */
        void observed();
    }

    private final String topic;
    private final DriftConfig config;
    private final DeadLetters deadLetters;
    private final Outlet outlet;
    private final Deserializer<MetricPoint> values = AvroSerdes.metricPoint().deserializer();

    DriftLoop(String topic, DriftConfig config, DeadLetters deadLetters, Outlet outlet) {
        this.topic = topic;
        this.config = config;
        this.deadLetters = deadLetters;
        this.outlet = outlet;
    }

    /** When to stop, and how to wait without missing the stop. */
    interface Stop {
        /** Whether the monitor is closing. */
        boolean requested();

        /** Waits {@code duration} or until the monitor closes. */
        void await(Duration duration);
    }

    /** Runs one pass with a consumer of {@code properties} until {@code stop}; {@code opened} sees the consumer. */
    void run(Properties properties, Stop stop, Consumer<KafkaConsumer<?, ?>> opened) {
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            opened.accept(consumer);
            List<TopicPartition> partitions = awaitPartitions(consumer, stop);
            consumer.assign(partitions);
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions), KAFKA_TIMEOUT);
            Function<TopicPartition, Long> handledUpTo = partition -> {
                OffsetAndMetadata offset = committed.get(partition);
                return offset == null ? 0L : offset.offset();
            };
            consumer.seekToBeginning(partitions);
            DriftDetectors detectors = new DriftDetectors(config);
            LOG.info("drift monitor reading {} from the beginning; alarms publish from offsets {}", topic,
                    partitions.stream().map(p -> p.partition() + ":" + handledUpTo.apply(p)).toList());
            while (!stop.requested()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                if (records.isEmpty()) {
                    continue;
                }
                List<Mono<?>> writes = new ArrayList<>();
                Map<TopicPartition, OffsetAndMetadata> handled = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    boolean live = record.offset() >= handledUpTo.apply(partition);
                    handle(record, detectors, live, writes);
                    if (live) {
                        handled.put(partition, new OffsetAndMetadata(record.offset() + 1));
                    }
                }
                // Commit only what the broker has: a failed write ends the pass and the next one re-sends it.
                Mono.when(writes).block(WRITE_TIMEOUT);
                if (!handled.isEmpty()) {
                    consumer.commitSync(handled, KAFKA_TIMEOUT);
                }
            }
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> record, DriftDetectors detectors, boolean live,
                        List<Mono<?>> writes) {
        MetricPoint point;
        try {
            point = values.deserialize(record.topic(), record.value());
            if (point == null) {
                throw new IllegalArgumentException("record has no value: fw.metrics carries a MetricPoint in every record");
            }
        } catch (RuntimeException undecodable) {
            if (live) {
                LOG.warn("drift monitor: {}-{}@{} is not a MetricPoint, dead-lettering it: {}", record.topic(),
                        record.partition(), record.offset(), undecodable.getMessage());
                writes.add(deadLetters.route(record, undecodable));
            }
            return;
        }
        if (AlarmPoints.isOwn(point) || !detectors.accepts(point)) {
            return;
        }
        outlet.observed();
        for (DriftAlarm alarm : detectors.observe(point)) {
            outlet.alarm(alarm, live);
            if (live) {
                writes.add(outlet.publish(alarm));
            }
        }
    }

    private List<TopicPartition> awaitPartitions(KafkaConsumer<byte[], byte[]> consumer, Stop stop) {
        boolean told = false;
        while (!stop.requested()) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, KAFKA_TIMEOUT);
            if (partitions != null && !partitions.isEmpty()) {
                return partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            }
            if (!told) {
                LOG.warn("drift monitor: topic {} does not exist yet; waiting for it (create Flywheel's topics with "
                        + "'flywheel topics create', or check --prefix)", topic);
                told = true;
            }
            stop.await(Duration.ofSeconds(1));
        }
        return List.of();
    }
}
