package dev.flywheel.feedback.metrics;

import dev.flywheel.schemas.MetricKind;
import dev.flywheel.schemas.MetricPoint;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Rater disagreement of one stream task over a wall-clock window, drained into a {@code feedback.rater.disagreement}
 * STAT MetricPoint for the metrics topic. Kept in memory: a crash loses at most one window's statistic, never data.
 */
public final class DisagreementWindow {
    /** Series name on the metrics topic. */
    public static final String SERIES = "feedback.rater.disagreement";

    private final String task;
    private long start;
    private long minority;
    private long total;

    /** A window for {@code task} opening at {@code startMs}. */
    public DisagreementWindow(String task, long startMs) {
        this.task = task;
        this.start = startMs;
    }

    /** Adds one decided pair's votes. */
    public void add(long minorityVotes, long allVotes) {
        minority += minorityVotes;
        total += allVotes;
    }

    /** The window's point, if it saw any vote, and a new window from {@code endMs}. */
    public Optional<MetricPoint> drain(long endMs) {
        Optional<MetricPoint> point = total == 0 ? Optional.empty() : Optional.of(MetricPoint.newBuilder()
                .setId(SERIES + "|" + task + "|" + endMs).setTs(Instant.ofEpochMilli(endMs)).setSeries(SERIES)
                .setKind(MetricKind.STAT).setValue((double) minority / total).setWindowStart(Instant.ofEpochMilli(start))
                .setWindowEnd(Instant.ofEpochMilli(endMs)).setCount(total)
                .setTags(Map.of("component", "feedback-ingest", "task", task)).build());
        start = endMs;
        minority = 0;
        total = 0;
        return point;
    }
}
