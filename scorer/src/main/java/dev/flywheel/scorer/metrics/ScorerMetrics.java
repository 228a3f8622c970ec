package dev.flywheel.scorer.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** The scorer's meters: rollouts scored, batch sizes and latency, versions in use, swaps and rejected versions. */
public final class ScorerMetrics {
    private final MeterRegistry registry;
    private final Counter scored;
    private final DistributionSummary batchSize;
    private final Timer batchLatency;
    private final AtomicLong rewardModelVersion = new AtomicLong();
    private final AtomicLong referenceVersion = new AtomicLong();

    /** Meters registered in {@code registry}. */
    public ScorerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.scored = Counter.builder("flywheel.scorer.scored").description("rollouts scored").register(registry);
        this.batchSize = DistributionSummary.builder("flywheel.scorer.batch.size").description("rollouts per model call")
                .register(registry);
        this.batchLatency = Timer.builder("flywheel.scorer.batch.latency").description("time to score one micro-batch")
                .register(registry);
        registry.gauge("flywheel.scorer.version", io.micrometer.core.instrument.Tags.of("model", "reward-model"),
                rewardModelVersion);
        registry.gauge("flywheel.scorer.version", io.micrometer.core.instrument.Tags.of("model", "reference"),
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
        Counter.builder("flywheel.scorer.swaps").tag("model", model).register(registry).increment();
    }

    /** A published version of {@code model} was not loaded, for {@code reason}. */
    public void versionRejected(String model, String reason) {
        Counter.builder("flywheel.scorer.versions.rejected").tag("model", model).tag("reason", reason)
                .register(registry).increment();
    }
}
