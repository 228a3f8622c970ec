package dev.flywheel.learner.session;

import dev.flywheel.learner.Algorithm;
import dev.flywheel.learner.checkpoint.CheckpointStore;
import dev.flywheel.learner.checkpoint.LearnerState;
import dev.flywheel.learner.eval.VersionEvaluator;
import dev.flywheel.learner.intake.DeadLetterWriter;
import dev.flywheel.learner.ledger.OffsetLedger;
import dev.flywheel.learner.ledger.OffsetSpan;
import dev.flywheel.learner.metrics.LearnerMetrics;
import dev.flywheel.learner.metrics.MetricPoints;
import dev.flywheel.learner.publish.GuardVerdict;
import dev.flywheel.learner.publish.IntervalSummary;
import dev.flywheel.learner.publish.PublishGuards;
import dev.flywheel.learner.publish.VersionPublisher;
import dev.flywheel.learner.train.BatchReport;
import dev.flywheel.learner.train.Trainer;
import dev.flywheel.learner.train.TrainerState;
import dev.flywheel.schemas.PolicyVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code publishEvery} optimizer steps: checks the guards; on a pass, saves the weights, checkpoints (weights,
 * optimizer, KL controller, step, ledger and the version record, in that order) and then sends the version; on a
 * failure, rolls the trainer back to the last good weights, discards the interval's records, checkpoints that, and
 * says why. Checkpoint-then-send means a crash between the two re-sends the same record on restart.
 */
final class PublicationCycle {
    private static final Logger LOG = LoggerFactory.getLogger(PublicationCycle.class);

    private final Algorithm algorithm;
    private final int publishEvery;
    private final Trainer<?> trainer;
    private final OffsetLedger ledger;
    private final CheckpointStore checkpoints;
    private final VersionPublisher publisher;
    private final MetricPoints points;
    private final LearnerMetrics metrics;
    private final PublishGuards guards;
    private final Optional<VersionEvaluator> evaluator;
    private final DeadLetterWriter deadLetters;
    private final Consumer<PolicyVersion> onPublished;
    private final List<BatchReport> interval = new ArrayList<>();
    private LearnerState state;
    private TrainerState lastGood;
    private Instant intervalStart = Instant.now();
    private int intervalSteps;
    private BatchReport lastReport;

    PublicationCycle(Algorithm algorithm, int publishEvery, Trainer<?> trainer, OffsetLedger ledger,
                     CheckpointStore checkpoints, VersionPublisher publisher, MetricPoints points,
                     LearnerMetrics metrics, PublishGuards guards, Optional<VersionEvaluator> evaluator,
                     DeadLetterWriter deadLetters, LearnerState state, TrainerState lastGood,
                     Consumer<PolicyVersion> onPublished) {
        this.algorithm = algorithm;
        this.publishEvery = publishEvery;
        this.trainer = trainer;
        this.ledger = ledger;
        this.checkpoints = checkpoints;
        this.publisher = publisher;
        this.points = points;
        this.metrics = metrics;
        this.guards = guards;
        this.evaluator = evaluator;
        this.deadLetters = deadLetters;
        this.state = state;
        this.lastGood = lastGood;
        this.onPublished = onPublished;
    }

    /** The version last published (or restored), which staleness is measured against. */
    long version() {
        return state.version();
    }

    /** Optimizer steps since the learner first started. */
    long totalSteps() {
        return state.steps() + intervalSteps;
    }

    /** A statistic of the last trained batch, NaN before the first. */
    double lastStat(String name) {
        return lastReport == null ? Double.NaN : lastReport.stat(name);
    }

    /** Notes a trained batch and publishes (or rolls back) when the interval is complete. */
    void afterBatch(BatchReport report) {
        lastReport = report;
        interval.add(report);
        intervalSteps += report.steps();
        if (intervalSteps >= publishEvery) {
            closeInterval();
        }
    }

    private void closeInterval() {
        IntervalSummary summary = IntervalSummary.of(interval);
        TrainerState candidate = trainer.state();
        GuardVerdict verdict = guards.check(summary, candidate.weights(), state.baseline());
        Instant end = Instant.now();
        if (verdict.passed()) {
            publish(summary, candidate, end);
        } else {
            rollBack(summary, verdict);
        }
        interval.clear();
        intervalSteps = 0;
        intervalStart = end;
    }

    private void publish(IntervalSummary summary, TrainerState candidate, Instant end) {
        long version = state.version() + 1;
        List<OffsetSpan> lineage = ledger.closeInterval();
        Map<String, Double> headline = headline(summary, lineage.stream().mapToLong(OffsetSpan::count).sum());
        evaluator.ifPresent(e -> headline.putAll(e.evaluate(trainer.model())));
        PolicyVersion record = publisher.prepare(algorithm.modelName(), trainer.model(),
                new VersionPublisher.Candidate(version, state.version(), state.steps() + intervalSteps,
                        trainer.beta(), algorithm.flag(), headline, lineage));
        deadLetters.flush();
        state = checkpoints.save(trainer.model(), candidate, new LearnerState(state.model(), state.algorithm(),
                version, state.steps() + intervalSteps, state.batches() + interval.size(), null, trainer.beta(),
                ledger.snapshot(), Optional.of(VersionPublisher.toJson(record)),
                Optional.of(new LearnerState.IntervalBaseline(summary.stat("reward_mean"), summary.stat("kl"),
                        summary.stat("response_length")))));
        publisher.send(record);
        lastGood = candidate;
        metrics.published(version);
        points.interval(version, intervalStart, end, summary);
        LOG.info("published {} v{} at step {}: {} ({} records)", algorithm.modelName(), version, state.steps(),
                LearnerMetrics.line(summary), lineage.stream().mapToLong(OffsetSpan::count).sum());
        onPublished.accept(record);
    }

    private void rollBack(IntervalSummary summary, GuardVerdict verdict) {
        List<OffsetSpan> discarded = ledger.closeInterval();
        trainer.restore(lastGood);
        verdict.guards().forEach(metrics::guardFailed);
        String why = String.join("; ", verdict.failures());
        verdict.guards().forEach(g -> points.guardAlarm(state.version(), g, why));
        LOG.warn("not publishing the version after v{}: {}. Rolled back to v{}'s weights; the {} records trained "
                        + "since ({}) are discarded", state.version(), why, state.version(),
                discarded.stream().mapToLong(OffsetSpan::count).sum(), discarded);
        deadLetters.flush();
        // The steps were taken and the records absorbed, so both advance; the weights are the last good ones.
        state = checkpoints.save(trainer.model(), lastGood, new LearnerState(state.model(), state.algorithm(),
                state.version(), state.steps() + intervalSteps, state.batches() + interval.size(), null,
                lastGood.beta(), ledger.snapshot(), state.lastPublished(), state.baseline()));
    }

    private static Map<String, Double> headline(IntervalSummary summary, long records) {
        Map<String, Double> out = new LinkedHashMap<>();
        copy(summary, "reward_mean", "reward.mean", out);
        copy(summary, "reward_std", "reward.std", out);
        copy(summary, "kl", "kl.mean", out);
        copy(summary, "loss", "loss", out);
        copy(summary, "entropy", "entropy", out);
        copy(summary, "response_length", "response_length.mean", out);
        copy(summary, "reward_margin", "reward_margin", out);
        copy(summary, "preference_accuracy", "preference_accuracy", out);
        copy(summary, "group_rooted", "advantage.group_rooted", out);
        out.put("records", (double) records);
        out.put("tokens", (double) summary.tokens());
        return out;
    }

    private static void copy(IntervalSummary summary, String from, String to, Map<String, Double> out) {
        double v = summary.stat(from);
        if (Double.isFinite(v)) {
            out.put(to, v);
        }
    }
}
