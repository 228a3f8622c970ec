package dev.flywheel.feedback;

import dev.flywheel.runtime.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the feedback-ingest app; start from {@link #defaults(Topics)} and change what differs.
 *
 * @param topics          the topic catalogue it reads and writes
 * @param applicationId   Kafka Streams application id: consumer group, transactional ids and internal topic prefix
 * @param joinWindow      how long after a rollout (event time) feedback on it still joins (default 7 days)
 * @param quorum          distinct raters on a pair after which its PreferencePair is emitted at once
 * @param voteWindow      wall-clock time after a pair's first vote after which it is emitted with the votes it has
 * @param unknownIdGrace  wall-clock time feedback waits for a rollout it names before it is dead-lettered as unknown
 * @param tick            wall-clock period of the punctuator that closes vote windows and expires waiting feedback
 * @param metricsInterval wall-clock period of the rater-disagreement MetricPoints on the metrics topic
 * @param stateDir        Kafka Streams state directory, or {@code null} for Kafka's default
 */
public record FeedbackIngestConfig(Topics topics, String applicationId, Duration joinWindow, int quorum,
                                   Duration voteWindow, Duration unknownIdGrace, Duration tick,
                                   Duration metricsInterval, Path stateDir) {

    /** Checks every setting and names the flag that fixes a bad one. */
    public FeedbackIngestConfig {
        Objects.requireNonNull(topics, "topics");
        if (applicationId == null || !applicationId.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("--application-id '" + applicationId
                    + "' must be non-empty and hold only letters, digits, '.', '_' and '-'");
        }
        requirePositive("--join-window", joinWindow);
        requirePositive("--vote-window", voteWindow);
        requirePositive("--unknown-id-grace", unknownIdGrace);
        requirePositive("tick", tick);
        requirePositive("metrics interval", metricsInterval);
        if (quorum < 1) {
            throw new IllegalArgumentException("--quorum must be at least 1 rater, was " + quorum);
        }
    }

    /** Defaults: 7-day join window, quorum 3, 60 s vote window, 30 s grace for unknown ids, app id from the prefix. */
    public static FeedbackIngestConfig defaults(Topics topics) {
        return new FeedbackIngestConfig(topics, topics.prefix() + "feedback-ingest", Duration.ofDays(7), 3,
                Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(30), null);
    }

    /** The same settings with another join window. */
    public FeedbackIngestConfig withJoinWindow(Duration window) {
        return new FeedbackIngestConfig(topics, applicationId, window, quorum, voteWindow, unknownIdGrace, tick,
                metricsInterval, stateDir);
    }

    /** The same settings with another quorum and vote window. */
    public FeedbackIngestConfig withVoting(int newQuorum, Duration window) {
        return new FeedbackIngestConfig(topics, applicationId, joinWindow, newQuorum, window, unknownIdGrace, tick,
                metricsInterval, stateDir);
    }

    /** The same settings with another grace for feedback whose rollout has not been seen. */
    public FeedbackIngestConfig withUnknownIdGrace(Duration grace) {
        return new FeedbackIngestConfig(topics, applicationId, joinWindow, quorum, voteWindow, grace, tick,
                metricsInterval, stateDir);
    }

    /** The same settings with another application id. */
    public FeedbackIngestConfig withApplicationId(String id) {
        return new FeedbackIngestConfig(topics, id, joinWindow, quorum, voteWindow, unknownIdGrace, tick,
                metricsInterval, stateDir);
    }

    /** The same settings with another state directory. */
    public FeedbackIngestConfig withStateDir(Path dir) {
        return new FeedbackIngestConfig(topics, applicationId, joinWindow, quorum, voteWindow, unknownIdGrace, tick,
                metricsInterval, dir);
    }

    /** The same settings with another metrics interval. */
    public FeedbackIngestConfig withMetricsInterval(Duration interval) {
        return new FeedbackIngestConfig(topics, applicationId, joinWindow, quorum, voteWindow, unknownIdGrace, tick,
                interval, stateDir);
    }

    /** Internal topic holding rollouts re-keyed by response id (partitioned like the feedback topic). */
    public String rolloutsByResponseTopic() {
        return applicationId + "-rollouts-by-response";
    }

    /** Internal topic holding joined feedback re-keyed by prompt id (partitioned like the rollouts topic). */
    public String feedbackByPromptTopic() {
        return applicationId + "-feedback-by-prompt";
    }

    private static void requirePositive(String flag, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(flag + " must be a positive duration such as PT30S or P7D, was " + d);
        }
    }
}
