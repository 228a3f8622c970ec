package dev.flywheel.feedback.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.flywheel.feedback.TopicContents;
import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.runtime.embedded.EmbeddedKafkaExtension;
import dev.flywheel.runtime.topics.Topics;
import dev.flywheel.schemas.Feedback;
import dev.flywheel.schemas.FeedbackKind;
import dev.flywheel.schemas.Rollout;
import dev.flywheel.schemas.serde.AvroSerdes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulated users against a real broker: at 50 prompts/s the feedback that lands on the feedback topic has the
 * configured noise, disagreement and lateness. Runs 20 s by default; {@code -Dflywheel.simulate.seconds=60} runs
 * the full minute of the issue.
 */
class SimulatedUsersTest {
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.singleNode();
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedUsersTest.class);
    private static final Topics TOPICS = Topics.defaults();
    private static final double RATE = 50;
    private static final double NOISE = 0.05;
    private static final double DISAGREEMENT = 0.10;
    private static final double LATE = 0.05;

    @Test
    void feedbackOnTheTopicHasTheConfiguredNoiseDisagreementAndLateness() throws Exception {
        try (Admin admin = Admin.create(props())) {
            TOPICS.createAll(admin);
        }
        int seconds = Integer.getInteger("flywheel.simulate.seconds", 20);
        SimulationSettings settings = SimulationSettings.defaults("run-1", 42L, 7L)
                .withLoad(RATE, Duration.ofSeconds(seconds)).withRaters(5, 3, NOISE, DISAGREEMENT)
                .withTiming(Duration.ofMillis(500), LATE, Duration.ofMinutes(30), Duration.ofSeconds(15));
        SimulationReport report;
        try (FakeAnswerer answerer = new FakeAnswerer(KAFKA.bootstrapServers(), TOPICS).start();
             SimulatedUsers users = SimulatedUsers.start(KafkaSettings.of(KAFKA.bootstrapServers()), TOPICS, settings)) {
            assertThat(users.awaitCompletion(Duration.ofSeconds(seconds + 180))).isTrue();
            report = users.report();
            assertThat(answerer.answered()).isEqualTo((long) (RATE * seconds));
        }
        LOG.info("simulated users: {}", report.summary());

        long expectedPrompts = (long) (RATE * seconds);
        assertThat(TopicContents.raw(KAFKA.bootstrapServers(), TOPICS.prompts().name())).hasSize((int) expectedPrompts);
        Map<String, Rollout> rollouts = TopicContents.read(KAFKA.bootstrapServers(), TOPICS.rollouts().name(),
                        AvroSerdes.rollout().deserializer()).stream().map(ConsumerRecord::value)
                .collect(Collectors.toMap(Rollout::getId, Function.identity()));
        List<Feedback> feedback = TopicContents.read(KAFKA.bootstrapServers(), TOPICS.feedback().name(),
                AvroSerdes.feedback().deserializer()).stream().map(ConsumerRecord::value).toList();
        assertThat(rollouts).hasSize((int) expectedPrompts * FakeAnswerer.SAMPLES);
        // Each response gets 3 thumbs; each prompt's pair of samples gets 3 pairwise votes.
        assertThat(feedback.stream().filter(f -> f.getKind() == FeedbackKind.THUMBS)).hasSize(rollouts.size() * 3);
        assertThat(feedback.stream().filter(f -> f.getKind() == FeedbackKind.PAIRWISE)).hasSize((int) expectedPrompts * 3);
        assertThat(report.feedbackTotal()).isEqualTo(feedback.size());

        FeedbackQuality.Measures measured = FeedbackQuality.of(rollouts, feedback);
        LOG.info("measured on {}: {}", TOPICS.feedback().name(), measured.summary());
        assertThat(measured.noise()).isCloseTo(NOISE, within(0.02));
        assertThat(measured.disagreement()).isCloseTo(DISAGREEMENT, within(0.02));
        assertThat(measured.noise()).isCloseTo(report.quality().noise(), within(1e-9));

        long late = feedback.stream().filter(f -> Duration.between(rollouts.get(f.getResponseId()).getTs(), f.getTs())
                .equals(Duration.ofMinutes(30))).count();
        assertThat((double) late / feedback.size()).isCloseTo(LATE, within(0.02));
        assertThat(late).isEqualTo(report.late());
    }

    private static Properties props() {
        Properties props = new Properties();
        props.put("bootstrap.servers", KAFKA.bootstrapServers());
        return props;
    }
}
