package dev.flywheel.cli.bench.swap;

import dev.flywheel.generator.BatchReport;
import dev.flywheel.generator.GeneratorListener;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Listens to a generator and notes when each version was swapped in (this JVM's nano clock, the same one the
 * publisher stamps), how long the generator itself says the swap took after reading the version, and rejections.
 */
public final class SwapClock implements GeneratorListener {

    /** One swap: when it happened and the generator's own read → swap latency. */
    public record Swap(long atNanos, Duration afterRead) {
    }

    private final Map<Long, Swap> swaps = new ConcurrentHashMap<>();
    private final Map<Long, String> rejected = new ConcurrentHashMap<>();
    private final AtomicLong batches = new AtomicLong();

    @Override
    public void swapped(long from, long to, Duration latency) {
        swaps.put(to, new Swap(System.nanoTime(), latency));
        synchronized (this) {
            notifyAll();
        }
    }

    @Override
    public void versionRejected(long version, String reason, String message) {
        rejected.put(version, reason + ": " + message);
        synchronized (this) {
            notifyAll();
        }
    }

    @Override
    public void batchCommitted(BatchReport report) {
        batches.incrementAndGet();
        synchronized (this) {
            notifyAll();
        }
    }

    /** Batches committed so far. */
    public long batches() {
        return batches.get();
    }

    /** Waits until {@code version} is swapped in; throws if it was rejected or the wait times out. */
    public Swap awaitSwap(long version, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (!swaps.containsKey(version)) {
                if (rejected.containsKey(version)) {
                    throw new IllegalStateException("the generator rejected version " + version + ": "
                            + rejected.get(version));
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("version " + version + " was not swapped in within "
                            + timeout.toSeconds() + " s; is the generator receiving prompts?");
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
        return swaps.get(version);
    }

    /** Waits until at least {@code count} batches have committed. */
    public void awaitBatches(long count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (batches.get() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("the generator committed " + batches.get() + " of " + count
                            + " batches within " + timeout.toSeconds() + " s");
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }
}
