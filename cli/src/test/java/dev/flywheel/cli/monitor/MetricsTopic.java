package dev.flywheel.cli.monitor;

import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.schemas.MetricKind;
import dev.flywheel.schemas.MetricPoint;
import dev.flywheel.schemas.serde.AvroSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads fw.metrics directly, as ground truth for what the dashboard should show. */
final class MetricsTopic {

    private MetricsTopic() {
    }

    /** Every point on {@code topic} now, in log order (committed records only). */
    static List<MetricPoint> readAll(KafkaSettings kafka, String topic) {
        List<MetricPoint> points = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafka.clientProperties(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(record ->
                        points.add(AvroSerdes.metricPoint().deserializer().deserialize(topic, record.value())));
            }
        }
        return points;
    }

    /** The newest non-alarm point of {@code series}: latest event time, then highest policy version. */
    static Optional<MetricPoint> newest(List<MetricPoint> points, String series) {
        return points.stream().filter(p -> p.getSeries().equals(series) && p.getKind() != MetricKind.ALARM)
                .max(Comparator.comparing(MetricPoint::getTs)
                        .thenComparing(p -> p.getPolicyVersion() == null ? Long.MIN_VALUE : p.getPolicyVersion()));
    }
}
