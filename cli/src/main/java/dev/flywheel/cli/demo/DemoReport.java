package dev.flywheel.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.flywheel.cli.bench.BenchReport;
import dev.flywheel.cli.bench.LatencySummary;
import dev.flywheel.learner.eval.VersionEvaluator;
import dev.flywheel.monitor.dashboard.DashboardSnapshot;
import dev.flywheel.monitor.dashboard.LagView;
import dev.flywheel.schemas.PolicyVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What a demo run showed: the SFT policy against the last published version, how many versions, dead letters,
 * feedback-to-policy latency and throughput. Written as JSON with {@code --report}, summarised on the terminal.
 *
 * <p>Rewards: {@code first.reward} is the scorer's mean reward over the rollouts v0 sampled; {@code last.reward} is
 * the learner's mean reward over the batches it trained since the last version's parent ({@code reward.mean} at
 * publish), or, for DPO and IPO which publish none, the scorer's mean over the rollouts the newest version that
 * sampled any sampled. {@code first.kl} is 0 (v0 is the reference).
 */
public final class DemoReport {
    /** How the report's rewards are measured, written into the JSON so a reader need not guess. */
    static final String REWARD_MEASURE = "first.reward: scorer's mean reward over the rollouts v0 sampled; "
            + "last.reward: learner's reward.mean at publish (batches since its parent), or for dpo/ipo the scorer's "
            + "mean over the rollouts of the newest version that sampled any";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Map<String, Object> fields;
    private final VersionRates first;
    private final VersionRates last;
    private final double klBound;

    private DemoReport(Map<String, Object> fields, VersionRates first, VersionRates last, double klBound) {
        this.fields = fields;
        this.first = first;
        this.last = last;
        this.klBound = klBound;
    }

    /** The report of a stopped pipeline whose lineage follower has caught up. */
    static DemoReport of(DemoPlan plan, DemoPipeline pipeline, double seconds, DashboardSnapshot lag,
                         long deadLetters) {
        LineageLatency lineage = pipeline.lineage();
        List<PolicyVersion> all = lineage.versions();
        List<PolicyVersion> thisRun = all.stream().filter(v -> !v.getTs().isBefore(pipeline.startedAt())).toList();
        VersionRates first = pipeline.sft().withReward(boxed(lineage.meanReward(0)));
        VersionRates last = all.isEmpty() ? first : lastRates(all.get(all.size() - 1), lineage);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("algo", plan.algorithm().flag());
        f.put("reward_recipe", plan.reward().option());
        f.put("duration_s", BenchReport.round(seconds, 1));
        f.put("versions_published", thisRun.size());
        f.put("resumed_at", pipeline.resumedAt());
        f.put("dead_letters", deadLetters);
        f.put("first", first.asMap());
        f.put("last", last.asMap());
        Optional<LatencySummary> latency = lineage.latency(pipeline.startedAt());
        f.put("feedback_to_policy_latency_ms", latency.<Object>map(LatencySummary::asMap).orElse(null));
        f.put("rollouts_per_s", BenchReport.round(pipeline.rollouts() / Math.max(1e-3, seconds), 2));
        f.put("rollouts", pipeline.rollouts());
        f.put("kl_bound", plan.settings().guards().maxKl());
        f.put("lag_records", lags(pipeline.groups(), lag));
        f.put("graded_answers_per_question", VersionEvaluator.ANSWERS_PER_QUESTION);
        f.put("reward_measure", REWARD_MEASURE);
        f.put("seed", plan.seed());
        f.put("finished_at", Instant.now().toString());
        return new DemoReport(f, first, last, plan.settings().guards().maxKl());
    }

    private static VersionRates lastRates(PolicyVersion newest, LineageLatency lineage) {
        VersionRates rates = VersionRates.of(newest);
        if (rates.reward() != null) {
            return rates;
        }
        for (long v = newest.getVersion(); v >= 0; v--) {
            OptionalDouble scored = lineage.meanReward(v);
            if (scored.isPresent()) {
                return rates.withReward(scored.getAsDouble());
            }
        }
        return rates;
    }

    private static Map<String, Object> lags(List<String> groups, DashboardSnapshot snapshot) {
        Map<String, Object> m = new LinkedHashMap<>();
        groups.forEach(g -> m.put(g, snapshot.lagOf(g).map(LagView.Group::lagRecords).orElse(null)));
        return m;
    }

    /** The JSON fields, in order. */
    public Map<String, Object> fields() {
        return fields;
    }

    /** The SFT policy v0. */
    public VersionRates first() {
        return first;
    }

    /** The newest version (v0 when none was published). */
    public VersionRates last() {
        return last;
    }

    /** Writes the JSON to {@code file}, creating its folder. */
    void write(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            JSON.writeValue(file.toFile(), fields);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo report to --report " + file + ": " + e.getMessage(), e);
        }
    }

    /** First against last, the truthfulness checks and the run's figures, for the terminal. */
    String summary() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%nsummary (%s, %s s, %s versions published, "
                        + "%s dead letters, %s rollouts/s)%n", fields.get("algo"), fields.get("duration_s"),
                fields.get("versions_published"), fields.get("dead_letters"), fields.get("rollouts_per_s")));
        s.append(LiveTable.row(first, "first", "")).append(System.lineSeparator());
        s.append(LiveTable.row(last, "last", "")).append(System.lineSeparator());
        Double fw = first.out().wrong();
        Double lw = last.out().wrong();
        if (fw != null && lw != null && fw > 0) {
            s.append(String.format(Locale.ROOT, "out-of-knowledge wrong: %s -> %s (cut by %.0f%%)%n",
                    LiveTable.percent(fw).trim(), LiveTable.percent(lw).trim(), 100 * (fw - lw) / fw));
        }
        if (first.in().right() != null && last.in().right() != null) {
            s.append(String.format(Locale.ROOT, "in-knowledge right: %s -> %s (%+.1f points)%n",
                    LiveTable.percent(first.in().right()).trim(), LiveTable.percent(last.in().right()).trim(),
                    100 * (last.in().right() - first.in().right())));
        }
        if (last.kl() != null) {
            s.append(String.format(Locale.ROOT, "KL to the reference: %.3f nats (bound %.1f)%n", last.kl(), klBound));
        }
        Object latency = fields.get("feedback_to_policy_latency_ms");
        if (latency instanceof Map<?, ?> m) {
            s.append(String.format(Locale.ROOT, "feedback/prompt -> published version: p50 %s ms, p95 %s ms over %s "
                    + "records%n", m.get("p50"), m.get("p95"), m.get("count")));
        }
        return s.toString();
    }

    private static Double boxed(OptionalDouble d) {
        return d.isPresent() ? d.getAsDouble() : null;
    }
}
