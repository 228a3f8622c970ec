package dev.flywheel.generator.backpressure;

import dev.flywheel.generator.metrics.GeneratorMetrics;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate every batch passes on the sampling thread before it is sampled.
 *
 * <p>It holds the batch while the policy is too stale or the downstream lag too high, and while it holds it also
 * pauses the prompt partitions (so the consumer stops fetching and the paused gauge says why). While waiting it keeps
 * running the {@code betweenBatches} step, which is how a pending policy version gets swapped in and ends a
 * staleness pause. The lag bound has hysteresis: it pauses above the bound and resumes below half of it.
 */
public final class Admission {
    private static final Logger LOG = LoggerFactory.getLogger(Admission.class);
    private static final long WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final Runnable betweenBatches;
    private final LongSupplier staleness;
    private final int maxStaleness;
    private final DownstreamLag lag;
    private final long maxLag;
    private final PauseEvents events;
    private final Set<PauseReason> holding = EnumSet.noneOf(PauseReason.class);
    private final Map<PauseReason, AtomicLong> gauges = new EnumMap<>(PauseReason.class);
    private volatile Consumer<Boolean> partitionControl = paused -> { };
    private volatile boolean pausedNow;

    /**
     * A gate over {@code staleness} (bounded by {@code maxStaleness}) and, when {@code lag} is non-null, the downstream
     * lag (bounded by {@code maxLag}).
     */
    public Admission(Runnable betweenBatches, LongSupplier staleness, int maxStaleness, DownstreamLag lag, long maxLag,
                     GeneratorMetrics metrics, PauseEvents events) {
        this.betweenBatches = betweenBatches;
        this.staleness = staleness;
        this.maxStaleness = maxStaleness;
        this.lag = lag;
        this.maxLag = maxLag;
        this.events = events;
        for (PauseReason reason : PauseReason.values()) {
            AtomicLong gauge = new AtomicLong();
            gauges.put(reason, gauge);
            metrics.pausedGauge(reason.tag(), gauge);
        }
    }

    /**
     * Where pause and resume of the prompt partitions go (the current consumer session's receiver); it is told the
     * current state at once. May be called from any thread.
     */
    public void controlPartitionsWith(Consumer<Boolean> pauseOrResume) {
        this.partitionControl = pauseOrResume;
        pauseOrResume.accept(pausedNow);
    }

    /** Returns once no reason holds, swapping versions meanwhile; throws if {@code cancelled} turns true first. */
    public void awaitOpen(BooleanSupplier cancelled) {
        while (true) {
            betweenBatches.run();
            boolean wasHolding = !holding.isEmpty();
            update(PauseReason.STALENESS, staleness.getAsLong() > maxStaleness,
                    () -> "newest good version is " + staleness.getAsLong() + " ahead of the loaded one (max "
                            + maxStaleness + ")");
            if (lag != null) {
                long estimate = lag.estimate();
                boolean hold = holding.contains(PauseReason.DOWNSTREAM_LAG) ? estimate >= maxLag / 2 : estimate > maxLag;
                update(PauseReason.DOWNSTREAM_LAG, hold, () -> "lag of group " + lag.group() + " on " + lag.topic()
                        + " is " + estimate + " records (max " + maxLag + ", resuming below " + maxLag / 2 + ")");
            }
            if (wasHolding != !holding.isEmpty()) {
                pausedNow = !holding.isEmpty();
                partitionControl.accept(pausedNow);
            }
            if (holding.isEmpty()) {
                return;
            }
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("generator closing while paused for " + holding);
            }
            LockSupport.parkNanos(WAIT_NANOS);
        }
    }

    /** The reasons holding right now. */
    public Set<PauseReason> holding() {
        return Set.copyOf(holding);
    }

    private void update(PauseReason reason, boolean hold, java.util.function.Supplier<String> detail) {
        if (hold && holding.add(reason)) {
            String text = detail.get();
            LOG.warn("pausing prompt consumption: {}", text);
            gauges.get(reason).set(1);
            events.paused(reason, text);
        } else if (!hold && holding.remove(reason)) {
            LOG.info("resuming prompt consumption: {} no longer holds", reason.tag());
            gauges.get(reason).set(0);
            events.resumed(reason);
        }
    }
}
