package dev.flywheel.feedback;

import static dev.flywheel.feedback.Fixtures.prefers;
import static dev.flywheel.feedback.Fixtures.rollout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flywheel.runtime.embedded.EmbeddedKafkaExtension;
import dev.flywheel.runtime.topics.Topics;
import dev.flywheel.schemas.PreferencePair;
import dev.flywheel.schemas.serde.AvroSerdes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Feedback-ingest killed with SIGKILL mid-run and restarted: every pair is emitted exactly once in read_committed. */
class FeedbackIngestCrashTest {
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.singleNode();
    private static final Logger LOG = LoggerFactory.getLogger(FeedbackIngestCrashTest.class);
    private static final Topics TOPICS = Topics.defaults();
    private static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");
    private static final int PROMPTS = 300;
    private static final String[] RATERS = {"alice", "bob", "carol"};

    @TempDir Path work;

    @Test
    void killedAndRestartedMidRunEmitsNoPairTwice() throws Exception {
        Properties admin = new Properties();
        admin.put("bootstrap.servers", KAFKA.bootstrapServers());
        try (Admin client = Admin.create(admin)) {
            TOPICS.createAll(client);
        }
        Path stateDir = Files.createDirectories(work.resolve("state"));
        Process first = launch(stateDir, work.resolve("first.log"));
        Thread feeder = new Thread(this::feed, "feedback-feeder");
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int p = 0; p < PROMPTS; p++) {
                FeedbackIngestKafkaTest.send(producer, rollout("r-" + p + "-a", "p-" + p, " 7", T0.plusMillis(p)));
                FeedbackIngestKafkaTest.send(producer, rollout("r-" + p + "-b", "p-" + p, " 9", T0.plusMillis(p)));
            }
        }
        feeder.start();
        try {
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                    .until(() -> pairs().size() >= PROMPTS / 10);
            int beforeKill = pairs().size();
            first.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
            LOG.info("killed feedback-ingest after {} committed pairs", beforeKill);
            assertThat(beforeKill).isLessThan(PROMPTS);
            Process second = launch(stateDir, work.resolve("second.log"));
            try {
                feeder.join(TimeUnit.SECONDS.toMillis(180));
                await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> pairs().size() >= PROMPTS);
                // Whatever the killed instance had in flight is either committed once or aborted and redone.
                Map<String, Long> perId = pairs().stream().map(r -> r.value().getId())
                        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
                assertThat(perId).hasSize(PROMPTS);
                assertThat(perId.values()).allMatch(count -> count == 1L);
                assertThat(pairs()).allSatisfy(r -> assertThat(r.value().getChosen()).isEqualTo(" 7"));
            } finally {
                second.destroy();
                if (!second.waitFor(60, TimeUnit.SECONDS)) {
                    second.destroyForcibly();
                }
            }
        } finally {
            first.destroyForcibly();
            feeder.join(TimeUnit.SECONDS.toMillis(60));
        }
    }

    /**
     * Three raters per pair, two for the first response and one against, at about 60 feedback records a second, so
     * the kill lands mid-run.
     */
    private void feed() {
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int p = 0; p < PROMPTS; p++) {
                for (int r = 0; r < RATERS.length; r++) {
                    String a = "r-" + p + "-a";
                    String b = "r-" + p + "-b";
                    Instant ts = T0.plusSeconds(10 + p);
                    FeedbackIngestKafkaTest.send(producer, r == 1 ? prefers("f-" + p + "-" + r, RATERS[r], b, a, ts)
                            : prefers("f-" + p + "-" + r, RATERS[r], a, b, ts));
                }
                if (p % 10 == 9) {
                    producer.flush();
                    Thread.sleep(500);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<ConsumerRecord<String, PreferencePair>> pairs() {
        return TopicContents.read(KAFKA.bootstrapServers(), TOPICS.preferences().name(),
                AvroSerdes.preferencePair().deserializer());
    }

    private static KafkaProducer<String, byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private static Process launch(Path stateDir, Path log) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), FeedbackIngestProcess.class.getName(),
                KAFKA.bootstrapServers(), stateDir.toString());
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
