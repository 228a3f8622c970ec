package dev.flywheel.learner.metrics;

import dev.flywheel.learner.publish.IntervalSummary;
import dev.flywheel.learner.train.BatchReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The learner's meters, all named {@code flywheel.learner.*}: records by outcome, steps, tokens, batch time, the
 * staleness of trained rollouts, versions published, guard failures, and gauges of the last batch's statistics
 * (loss parts, KL, entropy, clip fraction, approx-KL, reward mean and std, β).
 */
public final class LearnerMetrics {

    /** Counter of consumed records, tagged {@code outcome}. */
    public static final String RECORDS = "flywheel.learner.records";
    /** Counter of optimizer steps taken. */
    public static final String STEPS = "flywheel.learner.steps";
    /** Counter of versions published. */
    public static final String PUBLISHED = "flywheel.learner.versions.published";
    /** Counter of candidate versions a guard stopped, tagged {@code guard}. */
    public static final String GUARD_FAILURES = "flywheel.learner.guard.failures";
    /** Timer of the trainer's step over each batch, tagged {@code algo}. */
    public static final String BATCH_DURATION = "flywheel.learner.batch.duration";

    private final MeterRegistry registry;
    private final Counter steps;
    private final Counter tokens;
    private final Counter published;
    private final Timer batchTime;
    private final DistributionSummary staleness;
    private final Map<String, AtomicLong> lastStats = new ConcurrentHashMap<>();
    private final AtomicLong version = new AtomicLong();

    /** Meters of a learner training {@code algorithm}, registered in {@code registry}. */
    public LearnerMetrics(MeterRegistry registry, String algorithm) {
        this.registry = registry;
        this.steps = Counter.builder(STEPS).tag("algo", algorithm).register(registry);
        this.tokens = Counter.builder("flywheel.learner.tokens").tag("algo", algorithm).register(registry);
        this.published = Counter.builder(PUBLISHED).tag("algo", algorithm).register(registry);
        this.batchTime = Timer.builder(BATCH_DURATION).tag("algo", algorithm).register(registry);
        this.staleness = DistributionSummary.builder("flywheel.learner.staleness").baseUnit("versions")
                .serviceLevelObjectives(1, 2, 4, 8).register(registry);
        registry.gauge("flywheel.learner.version", version);
    }

    /** Counts one consumed record by what became of it. */
    public void record(String outcome) {
        Counter.builder(RECORDS).tag("outcome", outcome).register(registry).increment();
    }

    /** Notes how many versions behind the learner a trained rollout's policy was. */
    public void staleness(long versions) {
        staleness.record(versions);
    }

    /** Records one trained batch. */
    public void batch(BatchReport report, Duration took) {
        steps.increment(report.steps());
        tokens.increment(report.tokens());
        batchTime.record(took);
        report.stats().forEach((name, value) -> lastStats.computeIfAbsent(name, this::gauge)
                .set(Double.doubleToLongBits(value)));
    }

    /** Records a published version. */
    public void published(long newVersion) {
        published.increment();
        version.set(newVersion);
    }

    /** Records a candidate version a guard stopped. */
    public void guardFailed(String guard) {
        Counter.builder(GUARD_FAILURES).tag("guard", guard).register(registry).increment();
    }

    /** The last interval's statistics, as the log line prints them. */
    public static String line(IntervalSummary s) {
        return String.format(java.util.Locale.ROOT, "reward %.3f kl %.3f loss %.4f entropy %.3f clip %.3f",
                s.stat("reward_mean"), s.stat("kl"), s.stat("loss"), s.stat("entropy"), s.stat("clip_fraction"));
    }

    private AtomicLong gauge(String stat) {
        AtomicLong bits = new AtomicLong(Double.doubleToLongBits(Double.NaN));
        registry.gauge("flywheel.learner." + stat.replace('_', '.'), bits,
                b -> Double.longBitsToDouble(b.get()));
        return bits;
    }
}
