package dev.flywheel.feedback.aggregate;

import dev.flywheel.feedback.FeedbackIngestConfig;
import dev.flywheel.feedback.FeedbackTopology;
import dev.flywheel.feedback.deadletter.Rejection;
import dev.flywheel.feedback.deadletter.RejectedFeedbackException;
import dev.flywheel.feedback.deadletter.RejectedRecords;
import dev.flywheel.feedback.deadletter.SourceCoordinates;
import dev.flywheel.feedback.labels.HumanLabels;
import dev.flywheel.feedback.metrics.DisagreementWindow;
import dev.flywheel.feedback.metrics.FeedbackMetrics;
import dev.flywheel.feedback.pending.PendingFeedback;
import dev.flywheel.feedback.pending.WaitingRoom;
import dev.flywheel.schemas.Feedback;
import dev.flywheel.schemas.FeedbackKind;
import dev.flywheel.schemas.PreferencePair;
import dev.flywheel.schemas.Rollout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Aggregates joined feedback per prompt. Rollouts (from the rollouts topic, keyed by prompt id) and every rater's
 * latest vote live in window stores whose retention is the join window.
 *
 * <p>When a pair is emitted: a PAIRWISE pair once, when {@code quorum} distinct raters have voted or, failing that,
 * when its vote window (wall clock since the first vote) closes; votes arriving later are counted but never
 * re-emit it, so every pair id appears once. A tie emits nothing. A thumbs pair is emitted once, as soon as one
 * response is net up and another net down. A rater's later vote on the same item replaces the earlier (latest event
 * time wins), so a rater counts once.
 */
public final class PromptAggregateProcessor implements Processor<String, Object, Object, Object> {
    private final FeedbackIngestConfig config;
    private final FeedbackMetrics metrics;
    private final RejectedRecords rejected;
    private ProcessorContext<Object, Object> context;
    private WindowStore<String, Rollout> rollouts;
    private WindowStore<String, Feedback> votes;
    private WindowStore<String, Long> emitted;
    private KeyValueStore<String, String> open;
    private WaitingRoom waiting;
    private DisagreementWindow disagreement;
    private long nextMetricsMs;

    /** An aggregation with the app's settings, meters and dead letters. */
    public PromptAggregateProcessor(FeedbackIngestConfig config, FeedbackMetrics metrics, RejectedRecords rejected) {
        this.config = config;
        this.metrics = metrics;
        this.rejected = rejected;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        rollouts = context.getStateStore(FeedbackTopology.PROMPT_ROLLOUTS_STORE);
        votes = context.getStateStore(FeedbackTopology.VOTES_STORE);
        emitted = context.getStateStore(FeedbackTopology.EMITTED_STORE);
        open = context.getStateStore(FeedbackTopology.OPEN_PAIRS_STORE);
        waiting = new WaitingRoom(context.getStateStore(FeedbackTopology.AGGREGATE_PENDING_STORE));
        long now = context.currentSystemTimeMs();
        disagreement = new DisagreementWindow(context.taskId().toString(), now);
        nextMetricsMs = now + config.metricsInterval().toMillis();
        context.schedule(config.tick(), PunctuationType.WALL_CLOCK_TIME, this::onTick);
    }

    @Override
    public void process(Record<String, Object> record) {
        if (record.value() instanceof Rollout rollout) {
            rollouts.put(Keys.of(rollout.getPromptId(), rollout.getId()), rollout, rollout.getTs().toEpochMilli());
            retryWaiting(rollout);
        } else if (record.value() instanceof Feedback feedback) {
            metrics.joined(feedback.getKind());
            SourceCoordinates origin = context.recordMetadata()
                    .map(m -> new SourceCoordinates(m.topic(), m.partition(), m.offset(), record.timestamp()))
                    .orElse(new SourceCoordinates(config.feedbackByPromptTopic(), -1, -1L, record.timestamp()));
            handle(feedback, origin);
        }
    }

    private void handle(Feedback feedback, SourceCoordinates origin) {
        String promptId = feedback.getPromptId();
        Rollout response = rollout(promptId, feedback.getResponseId());
        if (response == null) {
            await(feedback, origin, feedback.getResponseId());
            return;
        }
        switch (feedback.getKind()) {
            case PAIRWISE -> {
                Rollout other = rollout(promptId, feedback.getOtherResponseId());
                if (other == null) {
                    await(feedback, origin, feedback.getOtherResponseId());
                } else {
                    vote(feedback, response, other);
                }
            }
            case CORRECTION -> correction(feedback, response);
            default -> label(feedback, response);
        }
    }

    private void vote(Feedback feedback, Rollout a, Rollout b) {
        String first = a.getId().compareTo(b.getId()) <= 0 ? a.getId() : b.getId();
        String second = first.equals(a.getId()) ? b.getId() : a.getId();
        long pairTime = Math.max(a.getTs().toEpochMilli(), b.getTs().toEpochMilli());
        String pairKey = Keys.of(a.getPromptId(), "pw", first, second);
        if (emitted.fetch(pairKey, pairTime) != null) {
            metrics.voteAfterEmission();
            return;
        }
        if (!accept(Keys.of(pairKey, feedback.getRaterId()), feedback, pairTime)) {
            return;
        }
        VoteTally tally = tally(new OpenPair(a.getPromptId(), first, second, pairTime, 0L));
        if (tally.raters() >= config.quorum()) {
            decide(new OpenPair(a.getPromptId(), first, second, pairTime, 0L), tally);
        } else if (open.get(pairKey) == null) {
            open.put(pairKey, new OpenPair(a.getPromptId(), first, second, pairTime, context.currentSystemTimeMs()).encode());
        }
    }

    /** Stores a rater's vote unless the stored one is newer or the same; counts a repeat as a duplicate. */
    private boolean accept(String key, Feedback feedback, long itemTime) {
        Feedback earlier = votes.fetch(key, itemTime);
        if (earlier != null) {
            metrics.duplicate(feedback.getKind());
            if (earlier.getTs().isAfter(feedback.getTs()) || sameJudgement(earlier, feedback)) {
                return false;
            }
        }
        votes.put(key, feedback, itemTime);
        return true;
    }

    private static boolean sameJudgement(Feedback earlier, Feedback later) {
        return later.getKind() == FeedbackKind.PAIRWISE
                ? java.util.Objects.equals(VoteTally.winner(earlier), VoteTally.winner(later))
                : earlier.getValue() == later.getValue();
    }

    private VoteTally tally(OpenPair pair) {
        String pairKey = Keys.of(pair.promptId(), "pw", pair.first(), pair.second());
        List<Feedback> cast = new ArrayList<>();
        try (KeyValueIterator<Windowed<String>, Feedback> it = votes.fetch(Keys.from(pairKey), Keys.to(pairKey),
                pair.pairTimeMs(), pair.pairTimeMs())) {
            it.forEachRemaining(entry -> cast.add(entry.value));
        }
        return VoteTally.of(pair.first(), pair.second(), cast);
    }

    private void decide(OpenPair pair, VoteTally tally) {
        String pairKey = Keys.of(pair.promptId(), "pw", pair.first(), pair.second());
        open.delete(pairKey);
        emitted.put(pairKey, context.currentSystemTimeMs(), pair.pairTimeMs());
        if (tally.decisiveVotes() == 0 || tally.tied()) {
            metrics.tie();
            return;
        }
        Rollout chosen = rollout(pair.promptId(), tally.chosen());
        Rollout rejectedRollout = rollout(pair.promptId(), tally.rejected());
        if (chosen == null || rejectedRollout == null) {
            metrics.tie();
            return;
        }
        emit(Pairs.fromVotes(tally, chosen, rejectedRollout), "pairwise");
        metrics.votes(tally.minorityVotes(), tally.decisiveVotes());
        disagreement.add(tally.minorityVotes(), tally.decisiveVotes());
    }

    private void label(Feedback feedback, Rollout response) {
        String key = Keys.of(response.getPromptId(), "lb", response.getId(), feedback.getRaterId(), feedback.getKind().name());
        if (!accept(key, feedback, response.getTs().toEpochMilli())) {
            return;
        }
        context.forward(new Record<>(response.getPromptId(), HumanLabels.label(feedback, response),
                feedback.getTs().toEpochMilli()), FeedbackTopology.LABELS_SINK);
        metrics.label(feedback.getKind());
        if (feedback.getKind() == FeedbackKind.THUMBS) {
            thumbsPairs(response.getPromptId());
        }
    }

    private void thumbsPairs(String promptId) {
        Map<String, List<Feedback>> thumbs = new LinkedHashMap<>();
        try (KeyValueIterator<Windowed<String>, Feedback> it = votes.fetch(Keys.from(promptId, "lb"),
                Keys.to(promptId, "lb"), 0L, Long.MAX_VALUE)) {
            it.forEachRemaining(entry -> {
                if (entry.value.getKind() == FeedbackKind.THUMBS) {
                    thumbs.computeIfAbsent(entry.value.getResponseId(), id -> new ArrayList<>()).add(entry.value);
                }
            });
        }
        for (ThumbsPairs.Candidate candidate : ThumbsPairs.find(thumbs)) {
            Rollout up = rollout(promptId, candidate.up());
            Rollout down = rollout(promptId, candidate.down());
            String first = candidate.up().compareTo(candidate.down()) <= 0 ? candidate.up() : candidate.down();
            String key = Keys.of(promptId, "th", first, first.equals(candidate.up()) ? candidate.down() : candidate.up());
            long pairTime = Math.max(up.getTs().toEpochMilli(), down.getTs().toEpochMilli());
            if (emitted.fetch(key, pairTime) == null) {
                emitted.put(key, context.currentSystemTimeMs(), pairTime);
                emit(Pairs.fromThumbs(up, down, candidate.margin(), candidate.agreement(), candidate.thumbs()), "thumbs");
            }
        }
    }

    private void correction(Feedback feedback, Rollout response) {
        String key = Keys.of(response.getPromptId(), "cr", response.getId(), feedback.getRaterId());
        if (votes.fetch(key, response.getTs().toEpochMilli()) != null) {
            metrics.duplicate(feedback.getKind());
            return;
        }
        votes.put(key, feedback, response.getTs().toEpochMilli());
        emit(Pairs.fromCorrection(feedback, response), "correction");
    }

    private void emit(PreferencePair pair, String origin) {
        context.forward(new Record<>(pair.getPromptId(), pair, pair.getTs().toEpochMilli()), FeedbackTopology.PREFERENCES_SINK);
        metrics.pair(origin);
    }

    private Rollout rollout(String promptId, String rolloutId) {
        Rollout latest = null;
        try (WindowStoreIterator<Rollout> found = rollouts.fetch(Keys.of(promptId, rolloutId), 0L, Long.MAX_VALUE)) {
            while (found.hasNext()) {
                latest = found.next().value;
            }
        }
        return latest;
    }

    private void await(Feedback feedback, SourceCoordinates origin, String rolloutId) {
        waiting.hold(Keys.of(feedback.getPromptId(), feedback.getId()),
                new PendingFeedback(feedback, origin, context.currentSystemTimeMs(), rolloutId));
    }

    private void retryWaiting(Rollout rollout) {
        for (PendingFeedback ready : waiting.release(Keys.from(rollout.getPromptId()), rollout.getId())) {
            handle(ready.feedback(), ready.origin());
        }
    }

    private void onTick(long nowMs) {
        closeVoteWindows(nowMs);
        expireWaiting(nowMs);
        if (nowMs >= nextMetricsMs) {
            disagreement.drain(nowMs).ifPresent(point -> context.forward(new Record<>(point.getSeries(), point, nowMs),
                    FeedbackTopology.METRICS_SINK));
            nextMetricsMs = nowMs + config.metricsInterval().toMillis();
        }
    }

    private void closeVoteWindows(long nowMs) {
        List<OpenPair> due = new ArrayList<>();
        try (KeyValueIterator<String, String> it = open.all()) {
            it.forEachRemaining(entry -> {
                OpenPair pair = OpenPair.decode(entry.value);
                if (nowMs - pair.firstVoteMs() >= config.voteWindow().toMillis()) {
                    due.add(pair);
                }
            });
        }
        due.forEach(pair -> decide(pair, tally(pair)));
    }

    private void expireWaiting(long nowMs) {
        for (PendingFeedback overdue : waiting.expire(nowMs, config.unknownIdGrace())) {
            Feedback feedback = overdue.feedback();
            RejectedFeedbackException why = new RejectedFeedbackException(Rejection.PROMPT_MISMATCH, "response "
                    + overdue.awaitedId() + " named by feedback " + feedback.getId() + " is not a response to prompt "
                    + feedback.getPromptId() + " seen within " + config.unknownIdGrace()
                    + " (unknown, expired, or answering another prompt): compare two responses to the same prompt");
            metrics.rejected(why.rejection());
            context.forward(rejected.deadLetter(feedback.getResponseId(), feedback, overdue.origin(), why),
                    FeedbackTopology.DEAD_LETTER_SINK);
        }
    }
}
