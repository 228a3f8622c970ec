package dev.flywheel.monitor.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.runtime.deadletter.DeadLetterHeaders;
import dev.flywheel.runtime.deadletter.DeadLetters;
import dev.flywheel.runtime.embedded.EmbeddedKafkaExtension;
import dev.flywheel.runtime.topics.Topics;
import dev.flywheel.schemas.MetricKind;
import dev.flywheel.schemas.MetricPoint;
import dev.flywheel.schemas.serde.AvroSerdes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** Must-show 2 (d): scorer-like points on fw.metrics in, an ALARM point on fw.metrics out, on a real broker. */
class DriftMonitorKafkaTest {
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final String REWARD = "scorer.reward.mean";

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.singleNode()
            .withBrokerProperty("group.initial.rebalance.delay.ms", "0");

    @BeforeAll
    static void quietKafkaLogs() {
        // The monitor module has no logback-test.xml of its own; keep the broker's DEBUG chatter out of the reports.
        for (String name : List.of("org.apache.kafka", "kafka", "state.change.logger", "org.apache.zookeeper")) {
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(name)).setLevel(Level.WARN);
        }
    }

    @Test
    void aRewardShiftOnFwMetricsComesBackAsAnAlarmPointWithItsSeriesAndVersionAndGarbageIsDeadLettered() {
        Topics topics = Topics.withPrefix("drift-" + UUID.randomUUID().toString().substring(0, 8) + ".");
        KafkaSettings kafka = KafkaSettings.of(KAFKA.bootstrapServers());
        try (Admin admin = Admin.create(kafka.adminProperties())) {
            topics.createAll(admin);
        }
        Random random = new Random(20261127);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 160; i++) {
            double reward = (i < 120 ? 0.2 : 0.5) + 0.05 * random.nextGaussian();
            records.add(record(topics, stat(REWARD, reward, 3, i)));
            records.add(record(topics, stat("scorer.kl.mean", 1.0 + 0.2 * random.nextGaussian(), 3, i)));
            records.add(record(topics, stat("scorer.reward.p90", 0.9, 3, i)));
            if (i == 50) {
                records.add(new ProducerRecord<>(topics.metrics().name(), bytes("scorer.reward.mean"),
                        bytes("{\"series\": \"not avro\"}")));
            }
        }
        produce(kafka, records);

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DriftConfig config = DriftConfig.defaults().withGroupId("drift-test-" + topics.prefix());
        List<MetricPoint> alarmPoints;
        try (DriftMonitor monitor = DriftMonitor.start(kafka, topics, config, registry)) {
            alarmPoints = await().atMost(PATIENCE).until(() -> alarms(kafka, topics), points -> !points.isEmpty());
            assertThat(alarmPoints).singleElement().satisfies(point -> {
                assertThat(point.getSeries()).isEqualTo("monitor.alarm.change_point");
                assertThat(point.getKind()).isEqualTo(MetricKind.ALARM);
                assertThat(point.getPolicyVersion()).isEqualTo(3L);
                assertThat(point.getTags()).containsEntry("component", "monitor").containsEntry("source", REWARD)
                        .containsEntry("severity", "alarm");
                assertThat(point.getValue()).isGreaterThan(25);
                assertThat(point.getMessage()).contains(REWARD).contains("moved up");
                // Raised by one of the first points after the shift at i = 120.
                assertThat(point.getTs()).isBetween(time(120), time(130));
            });
            assertThat(monitor.recentAlarms()).singleElement().satisfies(alarm -> {
                assertThat(alarm.kind()).isEqualTo(AlarmKind.CHANGE_POINT);
                assertThat(alarm.series()).isEqualTo(REWARD);
                assertThat(alarm.policyVersion()).isEqualTo(3);
            });
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(
                    registry.get(DriftMonitor.METRIC_ALARMS).tag("kind", "change_point").counter().count()).isEqualTo(1));
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(registry.get(DeadLetters.COUNTER)
                    .tag("source_topic", topics.metrics().name()).counter().count()).isEqualTo(1));
            assertThat(registry.get(DriftMonitor.METRIC_POINTS).counter().count()).isEqualTo(320);
        }
        List<ConsumerRecord<byte[], byte[]>> deadLetters = read(kafka, topics.deadLetters().name());
        assertThat(deadLetters).singleElement().satisfies(letter -> {
            assertThat(new String(letter.value(), StandardCharsets.UTF_8)).contains("not avro");
            assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.SOURCE_TOPIC))
                    .isEqualTo(topics.metrics().name());
        });

        // A restart replays the topic to rebuild its detectors but publishes nothing it has published already.
        SimpleMeterRegistry again = new SimpleMeterRegistry();
        try (DriftMonitor restarted = DriftMonitor.start(kafka, topics, config, again)) {
            await().atMost(PATIENCE).until(() -> again.get(DriftMonitor.METRIC_POINTS).counter().count() >= 320);
            assertThat(restarted.recentAlarms()).extracting(DriftAlarm::id)
                    .containsExactly(AlarmPoints.fromPoint(alarmPoints.get(0)).orElseThrow().id());
            assertThat(again.get(DriftMonitor.METRIC_ALARMS).tag("kind", "change_point").counter().count()).isZero();
        }
        assertThat(alarms(kafka, topics)).hasSize(1);
        assertThat(read(kafka, topics.deadLetters().name())).hasSize(1);
    }

    @Test
    void aMonitorStartedBeforeTheTopicsExistWaitsForThemAndThenAlarms() {
        Topics topics = Topics.withPrefix("late-" + UUID.randomUUID().toString().substring(0, 8) + ".");
        KafkaSettings kafka = KafkaSettings.of(KAFKA.bootstrapServers());
        DriftConfig config = DriftConfig.defaults().withGroupId("drift-late-" + topics.prefix());
        try (DriftMonitor monitor = DriftMonitor.start(kafka, topics, config, new SimpleMeterRegistry())) {
            try (Admin admin = Admin.create(kafka.adminProperties())) {
                topics.createAll(admin);
            }
            Random random = new Random(7);
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                records.add(record(topics, stat("scorer.kl.mean", (i < 60 ? 2.0 : 1.0) + 0.1 * random.nextGaussian(), 9, i)));
            }
            produce(kafka, records);
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(monitor.recentAlarms()).singleElement()
                    .satisfies(alarm -> {
                        assertThat(alarm.kind()).isEqualTo(AlarmKind.CHANGE_POINT);
                        assertThat(alarm.series()).isEqualTo("scorer.kl.mean");
                        assertThat(alarm.policyVersion()).isEqualTo(9);
                        assertThat(alarm.message()).contains("moved down");
                    }));
            await().atMost(PATIENCE).until(() -> alarms(kafka, topics), points -> points.size() == 1);
        }
    }

    private static Instant time(int i) {
        return Instant.parse("2026-11-27T12:00:00Z").plusSeconds(10L * i);
    }

    private static MetricPoint stat(String series, double value, long version, int i) {
        return MetricPoint.newBuilder().setId(series + "@v" + version + "@" + time(i).toEpochMilli()).setTs(time(i + 1))
                .setSeries(series).setKind(MetricKind.STAT).setValue(value).setPolicyVersion(version)
                .setWindowStart(time(i)).setWindowEnd(time(i + 1)).setCount(64L)
                .setTags(Map.of("component", "scorer")).build();
    }

    private static ProducerRecord<byte[], byte[]> record(Topics topics, MetricPoint point) {
        String topic = topics.metrics().name();
        return new ProducerRecord<>(topic, bytes(point.getSeries()),
                AvroSerdes.metricPoint().serializer().serialize(topic, point));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void produce(KafkaSettings kafka, List<ProducerRecord<byte[], byte[]>> records) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.clientProperties(Map.of()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            records.forEach(producer::send);
            producer.flush();
        }
    }

    private static List<MetricPoint> alarms(KafkaSettings kafka, Topics topics) {
        return read(kafka, topics.metrics().name()).stream()
                .map(record -> {
                    try {
                        return AvroSerdes.metricPoint().deserializer().deserialize(record.topic(), record.value());
                    } catch (RuntimeException garbage) {
                        return null;
                    }
                })
                .filter(point -> point != null && point.getKind() == MetricKind.ALARM)
                .toList();
    }

    /** Every record of a one-partition topic, from its beginning to its current end. */
    private static List<ConsumerRecord<byte[], byte[]>> read(KafkaSettings kafka, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafka.clientProperties(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            while (consumer.position(partition) < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }
}
