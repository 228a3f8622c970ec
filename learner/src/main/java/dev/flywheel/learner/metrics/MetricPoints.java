package dev.flywheel.learner.metrics;

import dev.flywheel.learner.publish.IntervalSummary;
import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.schemas.MetricKind;
import dev.flywheel.schemas.MetricPoint;
import dev.flywheel.schemas.serde.AvroSerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the learner's statistics to the metrics topic: one STAT point {@code learner.<stat>} per statistic per
 * publish interval, for the version the interval produced, and an ALARM point {@code learner.guard.<guard>} for
 * each version a guard stopped.
 */
public final class MetricPoints implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricPoints.class);

    private final String topic;
    private final KafkaProducer<String, MetricPoint> producer;

    private MetricPoints(String topic, KafkaProducer<String, MetricPoint> producer) {
        this.topic = topic;
        this.producer = producer;
    }

    /** Points for {@code topic}. */
    public static MetricPoints to(KafkaSettings kafka, String topic) {
        var props = kafka.clientProperties(Map.of(ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 50));
        return new MetricPoints(topic, new KafkaProducer<>(props, new StringSerializer(),
                AvroSerdes.metricPoint().serializer()));
    }

    /** The interval's statistics, attributed to {@code version}. */
    public void interval(long version, Instant start, Instant end, IntervalSummary summary) {
        summary.stats().forEach((stat, value) -> send(MetricPoint.newBuilder()
                .setId("learner." + stat + "@v" + version + "@" + end.toEpochMilli())
                .setTs(end)
                .setSeries("learner." + stat)
                .setKind(MetricKind.STAT)
                .setValue(value)
                .setPolicyVersion(version)
                .setWindowStart(start)
                .setWindowEnd(end)
                .setCount((long) summary.batches())
                .setTags(Map.of("component", "learner"))
                .build()));
    }

    /** An alarm: a candidate after {@code version} that {@code guard} stopped, and why. */
    public void guardAlarm(long version, String guard, String why) {
        Instant now = Instant.now();
        send(MetricPoint.newBuilder()
                .setId("learner.guard." + guard + "@v" + version + "@" + now.toEpochMilli())
                .setTs(now)
                .setSeries("learner.guard." + guard)
                .setKind(MetricKind.ALARM)
                .setValue(1)
                .setPolicyVersion(version)
                .setWindowStart(now)
                .setWindowEnd(now)
                .setCount(1L)
                .setMessage(why)
                .setTags(Map.of("component", "learner", "guard", guard))
                .build());
    }

    private void send(MetricPoint point) {
        producer.send(new ProducerRecord<>(topic, point.getSeries(), point), (meta, error) -> {
            if (error != null) {
                LOG.warn("could not write metric {} to {}: {}", point.getSeries(), topic, error.toString());
            }
        });
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
