package dev.flywheel.runtime.bridge;

import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;

/**
 * Hands polled records downstream on a thread of their own, only as fast as downstream requests them, so a slow
 * subscriber never blocks the consumer thread (which must keep polling to stay in its group).
 *
 * <p>Records of a partition revoked while they waited here are dropped, not emitted: their partition's new owner
 * receives them. A failure is different: the records polled before it are still emitted, as demand allows, and the
 * error follows them, so the subscriber sees every record ahead of the one that failed.
 */
final class RecordEmitter<K, V> {
    private final FluxSink<ReceivedRecord<K, V>> sink;
    private final Scheduler thread;
    private final Scheduler.Worker worker;
    private final Queue<ReceivedRecord<K, V>> ready = new ConcurrentLinkedQueue<>();
    private final AtomicInteger readyCount = new AtomicInteger();
    private final AtomicLong requested = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private final Set<Long> liveEpochs = ConcurrentHashMap.newKeySet();
    private final Runnable drain = this::drain;
    private volatile boolean stopped;
    private volatile Throwable failure;

    /** Emits on {@code thread}, which this emitter disposes once it has stopped. */
    RecordEmitter(FluxSink<ReceivedRecord<K, V>> sink, Scheduler thread) {
        this.sink = sink;
        this.thread = thread;
        this.worker = thread.createWorker();
    }

    void request(long n) {
        requested.getAndUpdate(current -> Operators.addCap(current, n));
        scheduleDrain();
    }

    /** Whether downstream asked for more than is already waiting here. */
    boolean wantsMore() {
        return requested.get() > readyCount.get();
    }

    void offer(List<ReceivedRecord<K, V>> records) {
        ready.addAll(records);
        readyCount.addAndGet(records.size());
        scheduleDrain();
    }

    void epochStarted(long epoch) {
        liveEpochs.add(epoch);
    }

    void epochEnded(long epoch) {
        // The consumer closing after a failure revokes every partition; what it polled before failing still goes out.
        if (failure == null) {
            liveEpochs.remove(epoch);
        }
    }

    /** Emits the error after every record already waiting here; nothing more is emitted afterwards. */
    void error(Throwable error) {
        failure = error;
        if (!scheduleDrain()) {
            stopped = true;
            sink.error(error);
        }
    }

    /** The consumer has exited: stops emitting now, unless a failure is still to be delivered behind its records. */
    void consumerExited() {
        if (failure == null) {
            cancel();
        }
    }

    /** Downstream cancelled: nothing more is emitted. */
    void cancel() {
        stopped = true;
        release();
    }

    private void release() {
        worker.dispose();
        thread.disposeGracefully().subscribe();
    }

    /**
     * Runs a drain on the emit thread; false once that thread is gone. Downstream may still request, and the consumer
     * still offer, after the emitter stopped: a disposed worker rejects the task, and throwing that at them (as this
     * once did, into a subscriber's request) would turn a clean stop into an error.
     */
    private boolean scheduleDrain() {
        if (worker.isDisposed()) {
            return false;
        }
        if (wip.getAndIncrement() == 0) {
            try {
                worker.schedule(drain);
            } catch (RejectedExecutionException stoppedMeanwhile) {
                return false;
            }
        }
        return true;
    }

    private void drain() {
        int missed = 1;
        do {
            emitWhatIsRequested();
            if (!stopped && failure != null && ready.isEmpty()) {
                stopped = true;
                sink.error(failure);
                release();
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void emitWhatIsRequested() {
        ReceivedRecord<K, V> next;
        while (!stopped && (next = ready.peek()) != null) {
            boolean live = liveEpochs.contains(next.assignmentEpoch());
            if (live && requested.get() == 0) {
                return;
            }
            ready.poll();
            readyCount.decrementAndGet();
            if (!live) {
                continue;
            }
            if (requested.get() != Long.MAX_VALUE) {
                requested.decrementAndGet();
            }
            sink.next(next);
        }
    }
}
