package dev.flywheel.scorer.stats;

import dev.flywheel.schemas.MetricKind;
import dev.flywheel.schemas.MetricPoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns one window's statistics into STAT metric points: {@code scorer.<quantity>.<statistic>} for quantities
 * rm_score, kl, response_length and reward and statistics mean, std, p10, p50, p90; {@code scorer.rollouts.count};
 * and, when the judge labelled rollouts, {@code scorer.judge.right_rate}, {@code .refuse_rate}, {@code .wrong_rate}.
 */
public final class StatPoints {

    /** Prefix of every series the scorer publishes. */
    public static final String PREFIX = "scorer.";

    private StatPoints() {
    }

    /** The points of {@code stats}, for {@code policyVersion} over [{@code start}, {@code end}). */
    public static List<MetricPoint> of(long policyVersion, Instant start, Instant end, WindowStats stats) {
        List<MetricPoint> points = new ArrayList<>();
        points.add(point("rollouts.count", stats.count(), stats.count(), policyVersion, start, end));
        summarise(points, "rm_score", Summary.of(stats.rmScores()), policyVersion, start, end);
        summarise(points, "kl", Summary.of(stats.kls()), policyVersion, start, end);
        summarise(points, "response_length", Summary.of(stats.lengths()), policyVersion, start, end);
        summarise(points, "reward", Summary.of(stats.rewards()), policyVersion, start, end);
        long judged = stats.judged();
        if (judged > 0) {
            points.add(point("judge.right_rate", (double) stats.right() / judged, judged, policyVersion, start, end));
            points.add(point("judge.refuse_rate", (double) stats.refuse() / judged, judged, policyVersion, start, end));
            points.add(point("judge.wrong_rate", (double) stats.wrong() / judged, judged, policyVersion, start, end));
        }
        return points;
    }

    private static void summarise(List<MetricPoint> points, String quantity, Summary summary, long version,
                                  Instant start, Instant end) {
        if (summary.count() == 0) {
            return;
        }
        long n = summary.count();
        points.add(point(quantity + ".mean", summary.mean(), n, version, start, end));
        points.add(point(quantity + ".std", summary.std(), n, version, start, end));
        points.add(point(quantity + ".p10", summary.p10(), n, version, start, end));
        points.add(point(quantity + ".p50", summary.p50(), n, version, start, end));
        points.add(point(quantity + ".p90", summary.p90(), n, version, start, end));
    }

    private static MetricPoint point(String name, double value, long count, long version, Instant start, Instant end) {
        String series = PREFIX + name;
        return MetricPoint.newBuilder()
                .setId(series + "@v" + version + "@" + start.toEpochMilli())
                .setTs(end)
                .setSeries(series)
                .setKind(MetricKind.STAT)
                .setValue(value)
                .setPolicyVersion(version)
                .setWindowStart(start)
                .setWindowEnd(end)
                .setCount(count)
                .setTags(Map.of("component", "scorer"))
                .build();
    }
}
