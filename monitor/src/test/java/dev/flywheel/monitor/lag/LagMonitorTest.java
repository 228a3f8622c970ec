package dev.flywheel.monitor.lag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.runtime.embedded.EmbeddedKafkaExtension;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LagMonitorTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.singleNode();

    private static double gauge(MeterRegistry registry, String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    @Test
    void stoppedThenStalledGroupShowsOnGaugesAndInTheLatestReport() throws Exception {
        String topic = "mon.scored-rollouts";
        KAFKA.createTopic(topic, 2);
        long now = System.currentTimeMillis();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 5; i++) {
                for (int partition = 0; partition < 2; partition++) {
                    producer.send(new ProducerRecord<>(topic, partition, now - 30_000 + i, "k", "v")).get();
                }
            }
        }
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
            admin.alterConsumerGroupOffsets("mon-learner", Map.of(p0, new OffsetAndMetadata(2), p1, new OffsetAndMetadata(5)))
                    .all().get(60, TimeUnit.SECONDS);
        }

        MeterRegistry registry = new SimpleMeterRegistry();
        LagConfig config = LagConfig.defaults().withTopicPrefix("mon.").withInterval(Duration.ofMillis(200)).withWindowSize(3);
        try (LagMonitor monitor = LagMonitor.start(KafkaSettings.of(KAFKA.bootstrapServers()), config, registry)) {
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
                GroupLag group = learner(monitor);
                assertThat(group.status()).isEqualTo(LagStatus.STOP);
                assertThat(group.totalLagRecords()).isEqualTo(3);
            });
            String[] p0Tags = {"group", "mon-learner", "topic", topic, "partition", "0"};
            assertThat(gauge(registry, LagGauges.RECORDS, p0Tags)).isEqualTo(3.0);
            assertThat(gauge(registry, LagGauges.RECORDS, "group", "mon-learner", "topic", topic, "partition", "1"))
                    .isZero();
            assertThat(gauge(registry, LagGauges.SECONDS, p0Tags)).isGreaterThanOrEqualTo(30.0);
            assertThat(gauge(registry, LagGauges.STATUS, "group", "mon-learner")).isEqualTo(LagStatus.STOP.ordinal());

            // A member that polls but never commits owns the partitions again: the stuck offset is now a stall.
            AtomicBoolean running = new AtomicBoolean(true);
            Thread member = new Thread(() -> pollWithoutCommitting(topic, running), "stuck-learner");
            member.start();
            try {
                await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
                    GroupLag group = learner(monitor);
                    assertThat(group.status()).isEqualTo(LagStatus.STALL);
                    assertThat(group.partitions()).allSatisfy(p -> assertThat(p.owned()).isTrue());
                    assertThat(group.state()).isEqualTo("Stable");
                });
                assertThat(gauge(registry, LagGauges.STATUS, "group", "mon-learner")).isEqualTo(LagStatus.STALL.ordinal());
            } finally {
                running.set(false);
                member.join(60_000);
            }
        }
        assertThat(registry.find(LagGauges.RECORDS).gauges()).as("gauges leave with the monitor").isEmpty();
    }

    private static GroupLag learner(LagMonitor monitor) {
        LagReport latest = monitor.latest();
        assertThat(latest.group("mon-learner")).as(latest.toJson()).isPresent();
        return latest.group("mon-learner").get();
    }

    private static void pollWithoutCommitting(String topic, AtomicBoolean running) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "mon-learner",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (running.get()) {
                consumer.poll(Duration.ofMillis(100));
            }
        }
    }
}
