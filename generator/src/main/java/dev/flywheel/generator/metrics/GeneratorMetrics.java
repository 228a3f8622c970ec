package dev.flywheel.generator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The generator's meters, all named {@code flywheel.generator.*} and tagged {@code instance}; rates (prompts/s,
 * rollouts/s, tokens/s) are the counters' rates as Prometheus or the monitor compute them.
 */
public final class GeneratorMetrics {
    /** Counter of prompts turned into rollouts. */
    public static final String PROMPTS = "flywheel.generator.prompts";
    /** Counter of rollouts committed. */
    public static final String ROLLOUTS = "flywheel.generator.rollouts";
    /** Counter of response tokens sampled in committed rollouts. */
    public static final String TOKENS = "flywheel.generator.tokens";
    /** Counter of prompts sent to the dead-letter topic, tagged {@code reason}. */
    public static final String REJECTED_PROMPTS = "flywheel.generator.prompts.rejected";
    /** Timer from a batch's arrival to its transaction's commit. */
    public static final String BATCH_LATENCY = "flywheel.generator.batch.latency";
    /** Gauge of the policy version sampling now. */
    public static final String POLICY_VERSION = "flywheel.generator.policy.version";
    /** Gauge of how many versions the newest good published one is ahead of the one in use. */
    public static final String STALENESS = "flywheel.generator.staleness";
    /** Timer from a version's record being read to the first batch sampled with it. */
    public static final String SWAP_LATENCY = "flywheel.generator.swap.latency";
    /** Counter of published versions that failed to verify or load, tagged {@code reason}. */
    public static final String REJECTED_VERSIONS = "flywheel.generator.versions.rejected";
    /** Gauge, 1 while prompt consumption is paused, tagged {@code reason} (staleness, downstream-lag). */
    public static final String PAUSED = "flywheel.generator.paused";
    /** Gauge of the last measured downstream lag in records (-1 before the first measurement). */
    public static final String DOWNSTREAM_LAG = "flywheel.generator.downstream.lag.records";

    private final MeterRegistry registry;
    private final Tags tags;
    private final Counter prompts;
    private final Counter rollouts;
    private final Counter tokens;
    private final Timer batchLatency;
    private final Timer swapLatency;
    private final AtomicLong version = new AtomicLong(-1);
    private final AtomicLong staleness = new AtomicLong();
    private final AtomicLong downstreamLag = new AtomicLong(-1);

    /** Registers every meter of the instance {@code instanceId} in {@code registry}. */
    public GeneratorMetrics(MeterRegistry registry, String instanceId) {
        this.registry = registry;
        this.tags = Tags.of("instance", instanceId);
        this.prompts = Counter.builder(PROMPTS).tags(tags).description("prompts turned into rollouts").register(registry);
        this.rollouts = Counter.builder(ROLLOUTS).tags(tags).description("rollouts committed").register(registry);
        this.tokens = Counter.builder(TOKENS).tags(tags).description("response tokens committed").register(registry);
        this.batchLatency = Timer.builder(BATCH_LATENCY).tags(tags)
                .description("from a batch's arrival to its commit").register(registry);
        this.swapLatency = Timer.builder(SWAP_LATENCY).tags(tags)
                .description("from reading a policy version to sampling with it").register(registry);
        Gauge.builder(POLICY_VERSION, version, AtomicLong::get).tags(tags).strongReference(true).register(registry);
        Gauge.builder(STALENESS, staleness, AtomicLong::get).tags(tags).strongReference(true).register(registry);
        Gauge.builder(DOWNSTREAM_LAG, downstreamLag, AtomicLong::get).tags(tags).strongReference(true).register(registry);
    }

    /** Counts one committed batch. */
    public void batchCommitted(int promptCount, int rolloutCount, long tokenCount, Duration latency) {
        prompts.increment(promptCount);
        rollouts.increment(rolloutCount);
        tokens.increment(tokenCount);
        batchLatency.record(latency);
    }

    /** Counts a prompt that went to the dead-letter topic. */
    public void promptRejected(String reason) {
        Counter.builder(REJECTED_PROMPTS).tags(tags).tag("reason", reason).register(registry).increment();
    }

    /** Records the version now in use. */
    public void versionInUse(long policyVersion) {
        version.set(policyVersion);
    }

    /** Records the current staleness in versions. */
    public void staleness(long versions) {
        staleness.set(versions);
    }

    /** Records one swap's latency. */
    public void swapped(Duration latency) {
        swapLatency.record(latency);
    }

    /** Counts a version that was skipped. */
    public void versionRejected(String reason) {
        Counter.builder(REJECTED_VERSIONS).tags(tags).tag("reason", reason).register(registry).increment();
    }

    /** Registers (once) the paused gauge of {@code reason}, reading {@code state}. */
    public void pausedGauge(String reason, AtomicLong state) {
        Gauge.builder(PAUSED, state, AtomicLong::get).tags(tags).tag("reason", reason).strongReference(true)
                .register(registry);
    }

    /** Records the last measured downstream lag. */
    public void downstreamLag(long records) {
        downstreamLag.set(records);
    }

    /** The swap-latency timer, for reports. */
    public Timer swapLatency() {
        return swapLatency;
    }
}
