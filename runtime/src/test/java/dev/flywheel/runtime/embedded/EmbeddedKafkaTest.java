package dev.flywheel.runtime.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {

    @Test
    void restartOnTheSameDataDirKeepsTopicsRecordsAndPort(@TempDir Path dir) throws Exception {
        int port;
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(dir).build().start()) {
            port = kafka.port();
            kafka.createTopic("kept", 2);
            produce(kafka.bootstrapServers(), "kept", List.of("a", "b", "c"), "all");
        }
        try (EmbeddedKafka again = EmbeddedKafka.builder().dataDir(dir).build().start()) {
            assertThat(again.port()).isEqualTo(port);
            try (Admin admin = Admin.create(again.clientProperties())) {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("kept");
            }
            assertThat(consumeAll(again.bootstrapServers(), "kept", 3)).containsExactlyInAnyOrder("a", "b", "c");
        }
    }

    @Test
    void threeNodesReplicateAndSurviveTheLossOfOne() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().nodes(3).build().start()) {
            kafka.createTopic("replicated", 3);
            try (Admin admin = Admin.create(kafka.clientProperties())) {
                TopicDescription description = admin.describeTopics(List.of("replicated"))
                        .allTopicNames().get(30, TimeUnit.SECONDS).get("replicated");
                assertThat(description.partitions()).hasSize(3)
                        .allSatisfy(p -> assertThat(p.replicas()).hasSize(3))
                        .allSatisfy(p -> assertThat(p.isr()).hasSize(3));
            }
            produce(kafka.bootstrapServers(), "replicated", List.of("before-1", "before-2"), "all");

            kafka.stopNode(2);
            produce(kafka.bootstrapServers(), "replicated", List.of("after-1", "after-2"), "all");

            assertThat(consumeAll(kafka.bootstrapServers(), "replicated", 4))
                    .containsExactlyInAnyOrder("before-1", "before-2", "after-1", "after-2");
        }
    }

    @Test
    void refusesASecondClusterOnADataDirInUse(@TempDir Path dir) {
        try (EmbeddedKafka first = EmbeddedKafka.builder().dataDir(dir).build()) {
            assertThatThrownBy(() -> EmbeddedKafka.builder().dataDir(dir).build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is in use by another running broker")
                    .hasMessageContaining("process " + ProcessHandle.current().pid());
        }
        EmbeddedKafka.builder().dataDir(dir).build().close();
    }

    @Test
    void refusesADataDirOfAnotherClusterSize(@TempDir Path dir) {
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(dir).build()) {
            // not started: the layout alone is written
        }
        assertThatThrownBy(() -> EmbeddedKafka.builder().dataDir(dir).nodes(3).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--nodes 1");
    }

    private static void produce(String servers, String topic, List<String> values, String acks) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ProducerConfig.ACKS_CONFIG, acks,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(topic, value, value)).get(120, TimeUnit.SECONDS);
            }
        }
    }

    private static List<String> consumeAll(String servers, String topic, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "embedded-test-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (seen.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    seen.add(record.value());
                }
            }
        }
        return seen;
    }
}
