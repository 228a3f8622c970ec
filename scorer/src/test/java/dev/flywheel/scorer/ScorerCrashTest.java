package dev.flywheel.scorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flywheel.core.store.ModelStore;
import dev.flywheel.runtime.deadletter.DeadLetterHeaders;
import dev.flywheel.runtime.embedded.EmbeddedKafkaExtension;
import dev.flywheel.runtime.topics.Topics;
import dev.flywheel.schemas.Rollout;
import dev.flywheel.schemas.ScoredRollout;
import dev.flywheel.schemas.serde.AvroSerdes;
import dev.flywheel.schemas.serde.UndecodableRecordException;
import dev.flywheel.scorer.scoring.ModelsInUse;
import dev.flywheel.scorer.validation.InvalidRolloutException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Exactly once across a scorer JVM killed mid-run, and bad records dead-lettered on a real broker. */
class ScorerCrashTest {
    private static final Logger LOG = LoggerFactory.getLogger(ScorerCrashTest.class);
    private static final Duration PATIENCE = Duration.ofSeconds(240);
    private static final int TOTAL = 500;

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.singleNode();

    @Test
    void scorerKilledMidRunAndRestartedEmitsEveryRolloutExactlyOnceAndDeadLettersBadOnes(@TempDir Path dir)
            throws Exception {
        ModelStore store = TestRollouts.bootstrap(dir.resolve("models"));
        Topics topics = Topics.withPrefix("crash.");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()))) {
            topics.createAll(admin);
        }
        List<Rollout> rollouts;
        ModelsInUse models = TestRollouts.models(store, 0.05);
        try {
            rollouts = TestRollouts.sampled(models.reference(), "r", TOTAL, 1.0f, 5);
        } finally {
            TestRollouts.close(models);
        }
        Rollout invalid = Rollout.newBuilder(rollouts.get(0)).setId("invalid").setBehaviourLogProbs(List.of()).build();

        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            send(producer, topics, rollouts.subList(0, 200));
            producer.send(new ProducerRecord<>(topics.rollouts().name(), bytes("garbage-1"), bytes("not avro")));
            producer.send(new ProducerRecord<>(topics.rollouts().name(), bytes("k-invalid"),
                    AvroSerdes.rollout().serializer().serialize("t", invalid)));
            producer.flush();

            Process first = launch(store.directory(), topics, dir.resolve("state"), dir.resolve("run-1.log"));
            await().atMost(PATIENCE).until(() -> committedInput(topics) >= 40 || !first.isAlive());
            assertThat(first.isAlive()).as("scorer process still running; see " + dir.resolve("run-1.log")).isTrue();
            first.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
            long atKill = committedInput(topics);
            LOG.info("killed the scorer after {} committed input records", atKill);
            assertThat(atKill).as("the kill came in the middle of the run").isLessThan(TOTAL);

            send(producer, topics, rollouts.subList(200, TOTAL));
            producer.send(new ProducerRecord<>(topics.rollouts().name(), bytes("garbage-2"), new byte[] {(byte) 0xC3, 1, 9}));
            producer.flush();
            Process second = launch(store.directory(), topics, dir.resolve("state"), dir.resolve("run-2.log"));
            try {
                await().atMost(PATIENCE).until(() -> committedInput(topics) >= TOTAL + 3 || !second.isAlive());
                assertThat(second.isAlive()).as("restarted scorer still running; see " + dir.resolve("run-2.log")).isTrue();
            } finally {
                second.destroy();
                if (!second.waitFor(60, TimeUnit.SECONDS)) {
                    second.destroyForcibly();
                }
            }
        }

        List<ConsumerRecord<byte[], byte[]>> scored = readCommitted(topics.scoredRollouts().name());
        List<String> ids = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : scored) {
            ScoredRollout value = AvroSerdes.scoredRollout().deserializer().deserialize(record.topic(), record.value());
            ids.add(value.getRolloutId());
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(value.getPromptId());
        }
        assertThat(ids).hasSize(TOTAL);
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(ids).containsExactlyInAnyOrderElementsOf(rollouts.stream().map(Rollout::getId).toList());

        List<ConsumerRecord<byte[], byte[]>> dead = readCommitted(topics.deadLetters().name());
        assertThat(dead).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrder("garbage-1", "k-invalid", "garbage-2");
        for (ConsumerRecord<byte[], byte[]> letter : dead) {
            String key = new String(letter.key(), StandardCharsets.UTF_8);
            String errorClass = DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.ERROR_CLASS);
            assertThat(errorClass).isEqualTo(key.equals("k-invalid") ? InvalidRolloutException.class.getName()
                    : UndecodableRecordException.class.getName());
            assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.ERROR_MESSAGE)).isNotBlank();
            assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.SOURCE_TOPIC))
                    .isEqualTo(topics.rollouts().name());
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, Topics topics, List<Rollout> rollouts) {
        for (Rollout r : rollouts) {
            producer.send(new ProducerRecord<>(topics.rollouts().name(), bytes(r.getPromptId()),
                    AvroSerdes.rollout().serializer().serialize(topics.rollouts().name(), r)));
        }
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Input records whose offsets the scorer's group has committed, over every partition. */
    private static long committedInput(Topics topics) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()))) {
            return admin.listConsumerGroupOffsets(ScorerProcess.applicationId(topics)).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS).entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(topics.rollouts().name()) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
        }
    }

    /** Every committed record of {@code topic}, read up to the end of the log. */
    private static List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static Process launch(Path models, Topics topics, Path state, Path log) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1", "-Xss4m", "-cp", System.getProperty("java.class.path"),
                ScorerProcess.class.getName(), KAFKA.bootstrapServers(), models.toString(), topics.prefix(),
                state.toString());
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("DJL_OFFLINE", "true");
        Files.createDirectories(log.getParent());
        LOG.info("launching scorer process, log in {}", log);
        return builder.start();
    }
}
