package dev.flywheel.feedback.metrics;

import dev.flywheel.feedback.deadletter.Rejection;
import dev.flywheel.schemas.FeedbackKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The meters of one feedback-ingest app: counters per feedback kind, per refusal reason and per pair origin, and
 * the running rater disagreement (share of votes on decided pairs that went against the majority).
 */
public final class FeedbackMetrics {
    /** Counter: feedback records read, tagged {@code kind}. */
    public static final String RECEIVED = "flywheel.feedback.received";
    /** Counter: feedback joined with its rollout, tagged {@code kind}. */
    public static final String JOINED = "flywheel.feedback.joined";
    /** Counter: feedback refused and dead-lettered, tagged {@code reason}. */
    public static final String REJECTED = "flywheel.feedback.rejected";
    /** Counter: feedback that repeated a rater's earlier feedback on the same item, tagged {@code kind}. */
    public static final String DUPLICATES = "flywheel.feedback.duplicates";
    /** Counter: votes that arrived after their pair was emitted, so did not change it. */
    public static final String LATE_VOTES = "flywheel.feedback.votes.after.emission";
    /** Counter: preference pairs emitted, tagged {@code origin} (pairwise, thumbs, correction). */
    public static final String PAIRS = "flywheel.feedback.pairs";
    /** Counter: pairs whose votes tied, so no pair was emitted. */
    public static final String TIES = "flywheel.feedback.pairs.tied";
    /** Counter: human reward labels emitted, tagged {@code kind}. */
    public static final String LABELS = "flywheel.feedback.labels";
    /** Gauge: minority votes / all votes over every decided PAIRWISE pair so far. */
    public static final String DISAGREEMENT = "flywheel.feedback.rater.disagreement";

    private final MeterRegistry registry;
    private final AtomicLong minorityVotes = new AtomicLong();
    private final AtomicLong decidedVotes = new AtomicLong();

    /** Meters registered in {@code registry}. */
    public FeedbackMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder(DISAGREEMENT, this, FeedbackMetrics::disagreement)
                .description("share of votes on decided pairs that went against the majority").register(registry);
    }

    /** The registry the meters live in. */
    public MeterRegistry registry() {
        return registry;
    }

    public void received(FeedbackKind kind) {
        count(RECEIVED, "kind", kind.name());
    }

    public void joined(FeedbackKind kind) {
        count(JOINED, "kind", kind.name());
    }

    public void rejected(Rejection reason) {
        count(REJECTED, "reason", reason.name());
    }

    public void duplicate(FeedbackKind kind) {
        count(DUPLICATES, "kind", kind.name());
    }

    public void voteAfterEmission() {
        Counter.builder(LATE_VOTES).register(registry).increment();
    }

    public void pair(String origin) {
        count(PAIRS, "origin", origin);
    }

    public void tie() {
        Counter.builder(TIES).register(registry).increment();
    }

    public void label(FeedbackKind kind) {
        count(LABELS, "kind", kind.name());
    }

    /** Adds one decided pair's votes to the running disagreement. */
    public void votes(long minority, long total) {
        minorityVotes.addAndGet(minority);
        decidedVotes.addAndGet(total);
    }

    /** Minority votes / all votes on decided pairs so far; 0 before any pair. */
    public double disagreement() {
        long total = decidedVotes.get();
        return total == 0 ? 0.0 : (double) minorityVotes.get() / total;
    }

    private void count(String name, String tag, String value) {
        Counter.builder(name).tag(tag, value).register(registry).increment();
    }
}
