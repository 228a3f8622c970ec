package dev.flywheel.feedback;

import static dev.flywheel.feedback.Fixtures.feedback;
import static dev.flywheel.feedback.Fixtures.prefers;
import static dev.flywheel.feedback.Fixtures.rollout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.runtime.deadletter.DeadLetterHeaders;
import dev.flywheel.runtime.embedded.EmbeddedKafkaExtension;
import dev.flywheel.runtime.topics.Topics;
import dev.flywheel.schemas.Feedback;
import dev.flywheel.schemas.FeedbackKind;
import dev.flywheel.schemas.MetricPoint;
import dev.flywheel.schemas.PreferencePair;
import dev.flywheel.schemas.Rollout;
import dev.flywheel.schemas.ScoredRollout;
import dev.flywheel.schemas.serde.AvroSerdes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Feedback-ingest against a real broker: joins, pairs, labels, metrics and dead letters end to end. */
class FeedbackIngestKafkaTest {
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.singleNode();
    private static final Topics TOPICS = Topics.defaults();
    private static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");

    @TempDir Path state;

    @BeforeAll
    static void topics() {
        Properties admin = new Properties();
        admin.put("bootstrap.servers", KAFKA.bootstrapServers());
        try (Admin client = Admin.create(admin)) {
            TOPICS.createAll(client);
        }
    }

    @Test
    void joinsLateFeedbackAggregatesRatersAndDeadLettersBadInput() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FeedbackIngestConfig config = FeedbackIngestConfig.defaults(TOPICS).withStateDir(state)
                .withUnknownIdGrace(Duration.ofSeconds(3)).withMetricsInterval(Duration.ofSeconds(2));
        try (FeedbackIngest app = FeedbackIngest.start(KafkaSettings.of(KAFKA.bootstrapServers()), config, registry);
             KafkaProducer<String, byte[]> producer = producer()) {
            await().atMost(Duration.ofSeconds(120)).until(() -> app.state() == KafkaStreams.State.RUNNING);
            send(producer, rollout("r-a", "p-1", " 7", T0));
            send(producer, rollout("r-b", "p-1", " I don't know", T0));
            producer.flush();
            send(producer, feedback("f-late", FeedbackKind.THUMBS, 1, "alice", "r-a", T0.plus(Duration.ofMinutes(30))));
            send(producer, prefers("f-1", "alice", "r-a", "r-b", T0.plusSeconds(1)));
            send(producer, prefers("f-2", "bob", "r-b", "r-a", T0.plusSeconds(2)));
            send(producer, prefers("f-3", "carol", "r-a", "r-b", T0.plusSeconds(3)));
            send(producer, feedback("f-unknown", FeedbackKind.THUMBS, -1, "dave", "r-404", T0.plusSeconds(4)));
            producer.send(new ProducerRecord<>(TOPICS.feedback().name(), "r-a", "not avro".getBytes(StandardCharsets.UTF_8)));
            producer.flush();

            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
                assertThat(TopicContents.raw(KAFKA.bootstrapServers(), TOPICS.deadLetters().name())).hasSize(2);
                assertThat(TopicContents.raw(KAFKA.bootstrapServers(), TOPICS.preferences().name())).hasSize(1);
                assertThat(TopicContents.raw(KAFKA.bootstrapServers(), TOPICS.scoredRollouts().name())).hasSize(1);
                assertThat(TopicContents.raw(KAFKA.bootstrapServers(), TOPICS.metrics().name())).isNotEmpty();
            });
        }
        String bootstrap = KAFKA.bootstrapServers();
        PreferencePair pair = TopicContents.read(bootstrap, TOPICS.preferences().name(),
                AvroSerdes.preferencePair().deserializer()).get(0).value();
        assertThat(pair.getChosenRolloutId()).isEqualTo("r-a");
        assertThat(pair.getAgreement()).isCloseTo(2.0 / 3.0, within(1e-9));
        assertThat(pair.getRaterIds()).containsExactly("alice", "bob", "carol");

        ScoredRollout label = TopicContents.read(bootstrap, TOPICS.scoredRollouts().name(),
                AvroSerdes.scoredRollout().deserializer()).get(0).value();
        assertThat(label.getFeedbackIds()).containsExactly("f-late");
        assertThat(label.getHumanReward()).isEqualTo(1.0);

        List<ConsumerRecord<String, byte[]>> letters = TopicContents.raw(bootstrap, TOPICS.deadLetters().name());
        assertThat(letters).extracting(letter -> DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.ERROR_CLASS))
                .containsExactlyInAnyOrder("dev.flywheel.schemas.serde.UndecodableRecordException",
                        "dev.flywheel.feedback.deadletter.RejectedFeedbackException");
        assertThat(letters).extracting(letter -> DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.ERROR_MESSAGE))
                .anySatisfy(message -> assertThat(message).startsWith("UNKNOWN_RESPONSE: no rollout with id r-404"));
        assertThat(letters).anySatisfy(letter -> assertThat(new String(letter.value(), StandardCharsets.UTF_8))
                .isEqualTo("not avro"));

        MetricPoint disagreement = TopicContents.read(bootstrap, TOPICS.metrics().name(),
                AvroSerdes.metricPoint().deserializer()).get(0).value();
        assertThat(disagreement.getSeries()).isEqualTo("feedback.rater.disagreement");
        assertThat(disagreement.getValue()).isCloseTo(1.0 / 3.0, within(1e-9));
        assertThat(disagreement.getCount()).isEqualTo(3L);
        assertThat(registry.get("flywheel.deadletters").counters()).isNotEmpty();
    }

    private static KafkaProducer<String, byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    static void send(KafkaProducer<String, byte[]> producer, Rollout rollout) {
        producer.send(new ProducerRecord<>(TOPICS.rollouts().name(), null, rollout.getTs().toEpochMilli(),
                rollout.getPromptId(), AvroSerdes.rollout().serializer().serialize(TOPICS.rollouts().name(), rollout)));
    }

    static void send(KafkaProducer<String, byte[]> producer, Feedback feedback) {
        producer.send(new ProducerRecord<>(TOPICS.feedback().name(), null, feedback.getTs().toEpochMilli(),
                feedback.getResponseId(), AvroSerdes.feedback().serializer().serialize(TOPICS.feedback().name(), feedback)));
    }
}
