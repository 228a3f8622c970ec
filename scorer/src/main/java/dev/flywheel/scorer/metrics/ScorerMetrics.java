package dev.flywheel.scorer.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The scorer's meters, all named {@code flywheel.scorer.*}: rollouts scored, batch sizes and latency (seconds),
 * versions in use, swaps and rejected versions.
 */
public final class ScorerMetrics {
    /** Counter of rollouts scored. */
    public static final String SCORED = "flywheel.scorer.scored";
    /** Distribution of rollouts per model call. */
    public static final String BATCH_SIZE = "flywheel.scorer.batch.size";
    /** Timer of scoring one micro-batch. */
    public static final String BATCH_LATENCY = "flywheel.scorer.batch.latency";
    /** Gauge of the version in use, tagged {@code model} (reward-model, reference). */
    public static final String VERSION = "flywheel.scorer.version";
    /** Counter of hot swaps, tagged {@code model}. */
    public static final String SWAPS = "flywheel.scorer.swaps";
    /** Counter of published versions not loaded, tagged {@code model} and {@code reason}. */
    public static final String REJECTED_VERSIONS = "flywheel.scorer.versions.rejected";

    private final MeterRegistry registry;
    private final Counter scored;
    private final DistributionSummary batchSize;
    private final Timer batchLatency;
    private final AtomicLong rewardModelVersion = new AtomicLong();
    private final AtomicLong referenceVersion = new AtomicLong();

    /** Meters registered in {@code registry}. */
    public ScorerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.scored = Counter.builder(SCORED).description("rollouts scored").register(registry);
        this.batchSize = DistributionSummary.builder(BATCH_SIZE).description("rollouts per model call")
                .register(registry);
        this.batchLatency = Timer.builder(BATCH_LATENCY).description("time to score one micro-batch")
                .register(registry);
        registry.gauge(VERSION, Tags.of("model", "reward-model"),
                rewardModelVersion);
        registry.gauge(VERSION, Tags.of("model", "reference"),
                referenceVersion);
    }

    /** The registry, for dead-letter counting and Kafka Streams' own metrics. */
    public MeterRegistry registry() {
        return registry;
    }

    /** A batch of {@code size} rollouts was scored in {@code took}. */
    public void batchScored(int size, Duration took) {
        scored.increment(size);
        batchSize.record(size);
        batchLatency.record(took);
    }

    /** Rollouts scored so far. */
    public long scoredCount() {
        return (long) scored.count();
    }

    /** Versions in use after a swap. */
    public void versionsInUse(long rewardModel, long reference) {
        rewardModelVersion.set(rewardModel);
        referenceVersion.set(reference);
    }

    /** {@code model} moved to a newer version. */
    public void swapped(String model) {
        Counter.builder(SWAPS).tag("model", model).register(registry).increment();
    }

    /** A published version of {@code model} was not loaded, for {@code reason}. */
    public void versionRejected(String model, String reason) {
        Counter.builder(REJECTED_VERSIONS).tag("model", model).tag("reason", reason)
                .register(registry).increment();
    }
}
