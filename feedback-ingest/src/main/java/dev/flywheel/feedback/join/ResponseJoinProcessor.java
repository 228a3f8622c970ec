package dev.flywheel.feedback.join;

import dev.flywheel.feedback.FeedbackIngestConfig;
import dev.flywheel.feedback.FeedbackTopology;
import dev.flywheel.feedback.deadletter.Rejection;
import dev.flywheel.feedback.deadletter.RejectedFeedbackException;
import dev.flywheel.feedback.deadletter.RejectedRecords;
import dev.flywheel.feedback.deadletter.SourceCoordinates;
import dev.flywheel.feedback.metrics.FeedbackMetrics;
import dev.flywheel.feedback.pending.PendingFeedback;
import dev.flywheel.feedback.pending.WaitingRoom;
import dev.flywheel.feedback.validation.FeedbackRules;
import dev.flywheel.schemas.Feedback;
import dev.flywheel.schemas.Rollout;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Joins feedback (keyed by response id) with the rollout it is about. Rollouts live in a window store keyed by
 * response id whose retention is the join window, so old rollouts expire with its segments. Feedback whose rollout
 * has not been seen waits up to the unknown-id grace (wall clock) in case the rollout is still on its way, and is
 * then dead-lettered as UNKNOWN_RESPONSE; feedback more than the join window after its rollout is EXPIRED.
 */
public final class ResponseJoinProcessor implements Processor<String, Object, Object, Object> {
    private final FeedbackIngestConfig config;
    private final FeedbackMetrics metrics;
    private final RejectedRecords rejected;
    private ProcessorContext<Object, Object> context;
    private WindowStore<String, Rollout> index;
    private WaitingRoom waiting;

    /** A join with the app's settings, meters and dead letters. */
    public ResponseJoinProcessor(FeedbackIngestConfig config, FeedbackMetrics metrics, RejectedRecords rejected) {
        this.config = config;
        this.metrics = metrics;
        this.rejected = rejected;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.index = context.getStateStore(FeedbackTopology.RESPONSE_INDEX_STORE);
        this.waiting = new WaitingRoom(context.getStateStore(FeedbackTopology.JOIN_PENDING_STORE));
        context.schedule(config.tick(), PunctuationType.WALL_CLOCK_TIME, this::expireWaiting);
    }

    @Override
    public void process(Record<String, Object> record) {
        if (record.value() instanceof Rollout rollout) {
            index.put(rollout.getId(), rollout, rollout.getTs().toEpochMilli());
            release(rollout);
        } else if (record.value() instanceof Feedback feedback) {
            metrics.received(feedback.getKind());
            SourceCoordinates origin = origin(record);
            Optional<RejectedFeedbackException> invalid = FeedbackRules.check(record.key(), feedback);
            if (invalid.isPresent()) {
                reject(feedback, origin, invalid.get());
                return;
            }
            Rollout rollout = lookup(feedback.getResponseId());
            if (rollout == null) {
                waiting.hold(feedback.getResponseId() + "|" + feedback.getId(), new PendingFeedback(feedback, origin,
                        context.currentSystemTimeMs(), feedback.getResponseId()));
            } else {
                join(feedback, rollout, origin);
            }
        }
    }

    private void join(Feedback feedback, Rollout rollout, SourceCoordinates origin) {
        if (feedback.getPromptId() != null && !feedback.getPromptId().equals(rollout.getPromptId())) {
            reject(feedback, origin, new RejectedFeedbackException(Rejection.PROMPT_MISMATCH, "feedback " + feedback.getId()
                    + " names prompt " + feedback.getPromptId() + " but response " + rollout.getId() + " answers prompt "
                    + rollout.getPromptId() + ": leave promptId empty or give the rollout's"));
            return;
        }
        Duration late = Duration.between(rollout.getTs(), feedback.getTs());
        if (late.compareTo(config.joinWindow()) > 0) {
            reject(feedback, origin, new RejectedFeedbackException(Rejection.EXPIRED, "feedback " + feedback.getId()
                    + " came " + late + " after response " + rollout.getId() + ", beyond the join window of "
                    + config.joinWindow() + " (--join-window)"));
            return;
        }
        Feedback joined = Feedback.newBuilder(feedback).setPromptId(rollout.getPromptId()).build();
        context.forward(new Record<>(rollout.getPromptId(), joined, feedback.getTs().toEpochMilli()),
                FeedbackTopology.FEEDBACK_BY_PROMPT_SINK);
    }

    private Rollout lookup(String responseId) {
        Rollout latest = null;
        try (WindowStoreIterator<Rollout> found = index.fetch(responseId, 0L, Long.MAX_VALUE)) {
            while (found.hasNext()) {
                latest = found.next().value;
            }
        }
        return latest;
    }

    private void release(Rollout rollout) {
        for (PendingFeedback ready : waiting.release(rollout.getId() + "|", rollout.getId())) {
            join(ready.feedback(), rollout, ready.origin());
        }
    }

    private void expireWaiting(long nowMs) {
        for (PendingFeedback overdue : waiting.expire(nowMs, config.unknownIdGrace())) {
            Feedback feedback = overdue.feedback();
            reject(feedback, overdue.origin(), new RejectedFeedbackException(Rejection.UNKNOWN_RESPONSE,
                    "no rollout with id " + feedback.getResponseId() + " was seen within " + config.unknownIdGrace()
                            + " (--unknown-id-grace), or it is older than the join window of " + config.joinWindow()
                            + ": check the responseId of feedback " + feedback.getId()));
        }
    }

    private void reject(Feedback feedback, SourceCoordinates origin, RejectedFeedbackException why) {
        metrics.rejected(why.rejection());
        context.forward(rejected.deadLetter(feedback.getResponseId(), feedback, origin, why),
                FeedbackTopology.DEAD_LETTER_SINK);
    }

    private SourceCoordinates origin(Record<String, Object> record) {
        return context.recordMetadata()
                .map(m -> new SourceCoordinates(m.topic(), m.partition(), m.offset(), record.timestamp()))
                .orElse(new SourceCoordinates(config.topics().feedback().name(), -1, -1L, record.timestamp()));
    }
}
