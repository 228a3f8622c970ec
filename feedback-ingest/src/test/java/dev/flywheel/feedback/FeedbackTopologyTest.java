package dev.flywheel.feedback;

import static dev.flywheel.feedback.Fixtures.feedback;
import static dev.flywheel.feedback.Fixtures.prefers;
import static dev.flywheel.feedback.Fixtures.rollout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.flywheel.feedback.metrics.FeedbackMetrics;
import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.runtime.deadletter.DeadLetterHeaders;
import dev.flywheel.runtime.topics.Topics;
import dev.flywheel.schemas.Feedback;
import dev.flywheel.schemas.FeedbackKind;
import dev.flywheel.schemas.PreferencePair;
import dev.flywheel.schemas.PreferenceSource;
import dev.flywheel.schemas.RewardSource;
import dev.flywheel.schemas.Rollout;
import dev.flywheel.schemas.ScoredRollout;
import dev.flywheel.schemas.serde.AvroSerdes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The topology's join, aggregation, labels and dead letters, driven record by record with a test clock. */
class FeedbackTopologyTest {
    private static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");
    private final Topics topics = Topics.defaults();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    @TempDir Path state;
    private TopologyTestDriver driver;
    private TestInputTopic<String, Rollout> rollouts;
    private TestInputTopic<String, Feedback> feedbackIn;
    private TestOutputTopic<String, PreferencePair> preferences;
    private TestOutputTopic<String, ScoredRollout> labels;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    @BeforeEach
    void start() {
        FeedbackIngestConfig config = FeedbackIngestConfig.defaults(topics).withStateDir(state)
                .withVoting(3, Duration.ofSeconds(60)).withUnknownIdGrace(Duration.ofSeconds(5));
        driver = new TopologyTestDriver(FeedbackTopology.build(config, new FeedbackMetrics(registry)),
                FeedbackIngest.properties(KafkaSettings.of("unused:9092"), config, registry), T0);
        rollouts = driver.createInputTopic(topics.rollouts().name(), new StringSerializer(), AvroSerdes.rollout().serializer());
        feedbackIn = driver.createInputTopic(topics.feedback().name(), new StringSerializer(), AvroSerdes.feedback().serializer());
        preferences = driver.createOutputTopic(topics.preferences().name(), new StringDeserializer(),
                AvroSerdes.preferencePair().deserializer());
        labels = driver.createOutputTopic(topics.scoredRollouts().name(), new StringDeserializer(),
                AvroSerdes.scoredRollout().deserializer());
        deadLetters = driver.createOutputTopic(topics.deadLetters().name(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void send(Rollout rollout) {
        rollouts.pipeInput(rollout.getPromptId(), rollout, rollout.getTs());
    }

    private void send(Feedback feedback) {
        feedbackIn.pipeInput(feedback.getResponseId(), feedback, feedback.getTs());
    }

    @Test
    void feedbackThirtyMinutesAfterItsRolloutStillJoins() {
        send(rollout("r-1", "p-1", " 7", T0));
        send(feedback("f-1", FeedbackKind.THUMBS, 1, "alice", "r-1", T0.plus(Duration.ofMinutes(30))));

        List<ScoredRollout> out = labels.readValuesToList();
        assertThat(out).hasSize(1);
        ScoredRollout label = out.get(0);
        assertThat(label.getRolloutId()).isEqualTo("r-1");
        assertThat(label.getRewardSource()).isEqualTo(RewardSource.HUMAN);
        assertThat(label.getHumanReward()).isEqualTo(1.0);
        assertThat(label.getFeedbackIds()).containsExactly("f-1");
        assertThat(label.getRollout().getResponse()).isEqualTo(" 7");
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void feedbackForAnUnknownResponseIsDeadLetteredWithTheReasonAfterTheGrace() {
        send(rollout("r-1", "p-1", " 7", T0));
        send(feedback("f-9", FeedbackKind.THUMBS, -1, "alice", "r-404", T0.plusSeconds(10)));
        assertThat(deadLetters.isEmpty()).as("waits for a rollout still on its way").isTrue();

        driver.advanceWallClockTime(Duration.ofSeconds(6));

        TestRecord<byte[], byte[]> letter = deadLetters.readRecord();
        assertThat(new String(letter.key())).isEqualTo("r-404");
        assertThat(AvroSerdes.feedback().deserializer().deserialize("t", letter.value()).getId()).isEqualTo("f-9");
        assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.ERROR_MESSAGE))
                .startsWith("UNKNOWN_RESPONSE: no rollout with id r-404");
        assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("fw.feedback");
        assertThat(labels.isEmpty()).isTrue();
        assertThat(registry.counter(FeedbackMetrics.REJECTED, "reason", "UNKNOWN_RESPONSE").count()).isEqualTo(1.0);
    }

    @Test
    void feedbackWhoseRolloutArrivesWithinTheGraceJoins() {
        send(feedback("f-1", FeedbackKind.RATING, 5, "alice", "r-1", T0.plusSeconds(3)));
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        send(rollout("r-1", "p-1", " 7", T0));

        assertThat(labels.readValuesToList()).singleElement()
                .satisfies(label -> assertThat(label.getHumanReward()).isEqualTo(1.0));
        driver.advanceWallClockTime(Duration.ofSeconds(10));
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void feedbackBeyondTheJoinWindowIsDeadLetteredAsExpired() {
        send(rollout("r-1", "p-1", " 7", T0));
        send(feedback("f-1", FeedbackKind.THUMBS, 1, "alice", "r-1", T0.plus(Duration.ofDays(8))));

        TestRecord<byte[], byte[]> letter = deadLetters.readRecord();
        assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.ERROR_MESSAGE))
                .startsWith("EXPIRED: feedback f-1 came PT192H after response r-1, beyond the join window of PT168H");
    }

    @Test
    void threeRatersTwoAgainstOneGiveOnePairWithTheMajoritysChoice() {
        send(rollout("r-a", "p-1", " 7", T0));
        send(rollout("r-b", "p-1", " I don't know", T0));
        send(prefers("f-1", "alice", "r-a", "r-b", T0.plusSeconds(1)));
        send(prefers("f-2", "alice", "r-a", "r-b", T0.plusSeconds(2)));
        send(prefers("f-3", "bob", "r-b", "r-a", T0.plusSeconds(3)));
        assertThat(preferences.isEmpty()).as("two distinct raters are below the quorum of 3").isTrue();
        send(prefers("f-4", "carol", "r-a", "r-b", T0.plusSeconds(4)));

        List<PreferencePair> pairs = preferences.readValuesToList();
        assertThat(pairs).hasSize(1);
        PreferencePair pair = pairs.get(0);
        assertThat(pair.getChosenRolloutId()).isEqualTo("r-a");
        assertThat(pair.getRejectedRolloutId()).isEqualTo("r-b");
        assertThat(pair.getChosen()).isEqualTo(" 7");
        assertThat(pair.getSource()).isEqualTo(PreferenceSource.HUMAN);
        assertThat(pair.getAgreement()).isCloseTo(2.0 / 3.0, within(1e-9));
        assertThat(pair.getMargin()).isCloseTo(1.0 / 3.0, within(1e-9));
        assertThat(pair.getRaterIds()).containsExactly("alice", "bob", "carol");
        assertThat(pair.getFeedbackIds()).containsExactly("f-1", "f-3", "f-4");
        assertThat(registry.counter(FeedbackMetrics.DUPLICATES, "kind", "PAIRWISE").count()).isEqualTo(1.0);
        assertThat(registry.get(FeedbackMetrics.DISAGREEMENT).gauge().value()).isCloseTo(1.0 / 3.0, within(1e-9));

        send(prefers("f-5", "dave", "r-b", "r-a", T0.plusSeconds(5)));
        driver.advanceWallClockTime(Duration.ofMinutes(5));
        assertThat(preferences.isEmpty()).as("a pair is emitted once").isTrue();
    }

    @Test
    void aRaterWhoChangesTheirMindCountsOnceWithTheLatestVote() {
        send(rollout("r-a", "p-1", " 7", T0));
        send(rollout("r-b", "p-1", " 8", T0));
        send(prefers("f-1", "alice", "r-a", "r-b", T0.plusSeconds(1)));
        send(prefers("f-2", "alice", "r-b", "r-a", T0.plusSeconds(2)));
        send(prefers("f-3", "bob", "r-b", "r-a", T0.plusSeconds(3)));
        driver.advanceWallClockTime(Duration.ofSeconds(61));

        PreferencePair pair = preferences.readValue();
        assertThat(pair.getChosenRolloutId()).isEqualTo("r-b");
        assertThat(pair.getAgreement()).isEqualTo(1.0);
        assertThat(pair.getFeedbackIds()).containsExactly("f-2", "f-3");
    }

    @Test
    void thumbsUpAndDownOnTwoResponsesToOnePromptMakeAPair() {
        send(rollout("r-a", "p-1", " 7", T0));
        send(rollout("r-b", "p-1", " 9", T0));
        send(feedback("f-1", FeedbackKind.THUMBS, 1, "alice", "r-a", T0.plusSeconds(1)));
        send(feedback("f-2", FeedbackKind.THUMBS, -1, "bob", "r-b", T0.plusSeconds(2)));
        send(feedback("f-3", FeedbackKind.THUMBS, -1, "carol", "r-b", T0.plusSeconds(3)));

        List<PreferencePair> pairs = preferences.readValuesToList();
        assertThat(pairs).singleElement().satisfies(pair -> {
            assertThat(pair.getId()).isEqualTo("thumbs:r-a|r-b");
            assertThat(pair.getChosenRolloutId()).isEqualTo("r-a");
            assertThat(pair.getMargin()).isEqualTo(1.0);
        });
        assertThat(labels.readValuesToList()).extracting(ScoredRollout::getHumanReward).containsExactly(1.0, -1.0, -1.0);
    }

    @Test
    void invalidFeedbackGoesToDeadLettersAndProcessingGoesOn() {
        send(rollout("r-1", "p-1", " 7", T0));
        send(feedback("f-1", FeedbackKind.RATING, 7, "alice", "r-1", T0.plusSeconds(1)));
        send(Feedback.newBuilder(feedback("f-3", FeedbackKind.PAIRWISE, 1, "bob", "r-1", T0.plusSeconds(2))).build());
        send(feedback("f-2", FeedbackKind.RATING, 2, "alice", "r-1", T0.plusSeconds(3)));

        List<TestRecord<byte[], byte[]>> letters = deadLetters.readRecordsToList();
        assertThat(letters).extracting(letter -> DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.ERROR_MESSAGE))
                .containsExactly("INVALID: RATING value must be a whole number 1..5, was 7.0 (feedback f-1 by rater alice)",
                        "INVALID: PAIRWISE needs otherResponseId: the id of the response it was compared with "
                                + "(feedback f-3 by rater bob)");
        assertThat(letters).extracting(letter -> DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.SOURCE_OFFSET))
                .containsExactly("0", "1");
        assertThat(labels.readValuesToList()).singleElement()
                .satisfies(label -> assertThat(label.getHumanReward()).isEqualTo(-0.5));
    }

    @Test
    void aTiedPairEmitsNothingWhenItsVoteWindowCloses() {
        send(rollout("r-a", "p-1", " 7", T0));
        send(rollout("r-b", "p-1", " 8", T0));
        send(prefers("f-1", "alice", "r-a", "r-b", T0.plusSeconds(1)));
        send(prefers("f-2", "bob", "r-b", "r-a", T0.plusSeconds(2)));
        driver.advanceWallClockTime(Duration.ofSeconds(61));

        assertThat(preferences.isEmpty()).isTrue();
        assertThat(registry.counter(FeedbackMetrics.TIES).count()).isEqualTo(1.0);
    }

    @Test
    void comparingResponsesOfTwoPromptsIsDeadLetteredAsAPromptMismatch() {
        send(rollout("r-a", "p-1", " 7", T0));
        send(rollout("r-x", "p-2", " 8", T0));
        send(prefers("f-1", "alice", "r-a", "r-x", T0.plusSeconds(1)));
        driver.advanceWallClockTime(Duration.ofSeconds(6));

        assertThat(DeadLetterHeaders.text(deadLetters.readRecord().headers(), DeadLetterHeaders.ERROR_MESSAGE))
                .startsWith("PROMPT_MISMATCH: response r-x named by feedback f-1 is not a response to prompt p-1");
        assertThat(preferences.isEmpty()).isTrue();
    }

    @Test
    void aCorrectionBecomesAPairWithTheRatersTextChosen() {
        send(rollout("r-a", "p-1", " 8", T0));
        send(Feedback.newBuilder(feedback("f-1", FeedbackKind.CORRECTION, 0, "alice", "r-a", T0.plusSeconds(1)))
                .setCorrection(" 7").build());
        send(Feedback.newBuilder(feedback("f-2", FeedbackKind.CORRECTION, 0, "alice", "r-a", T0.plusSeconds(2)))
                .setCorrection(" 7!").build());

        assertThat(preferences.readValuesToList()).singleElement().satisfies(pair -> {
            assertThat(pair.getChosen()).isEqualTo(" 7");
            assertThat(pair.getChosenTokenIds()).isEmpty();
            assertThat(pair.getRejectedRolloutId()).isEqualTo("r-a");
            assertThat(pair.getFeedbackIds()).containsExactly("f-1");
        });
    }

    @Test
    void anAbstainOkOnARefusalIsAHumanLabel() {
        send(rollout("r-a", "p-1", " I don't know", T0));
        send(feedback("f-1", FeedbackKind.ABSTAIN_OK, 1, "alice", "r-a", T0.plusSeconds(1)));
        send(feedback("f-1b", FeedbackKind.ABSTAIN_OK, 1, "alice", "r-a", T0.plusSeconds(2)));

        assertThat(labels.readValuesToList()).singleElement().satisfies(label -> {
            assertThat(label.getId()).isEqualTo("human:r-a:alice:abstain_ok");
            assertThat(label.getReward()).isEqualTo(1.0);
        });
    }
}
