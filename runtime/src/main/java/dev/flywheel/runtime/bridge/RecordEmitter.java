package dev.flywheel.runtime.bridge;

import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.Disposable;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;

/**
 * Hands polled records downstream on a thread of their own, only as fast as downstream requests them, so a slow
 * subscriber never blocks the consumer thread (which must keep polling to stay in its group).
 *
 * <p>Records of a partition revoked while they waited here are dropped, not emitted: their partition's new owner
 * receives them.
 */
final class RecordEmitter<K, V> {
    private final FluxSink<ReceivedRecord<K, V>> sink;
    private final Scheduler.Worker worker;
    private final Queue<ReceivedRecord<K, V>> ready = new ConcurrentLinkedQueue<>();
    private final AtomicInteger readyCount = new AtomicInteger();
    private final AtomicLong requested = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private final Set<Long> liveEpochs = ConcurrentHashMap.newKeySet();
    private final Runnable drain = this::drain;
    private volatile boolean stopped;

    RecordEmitter(FluxSink<ReceivedRecord<K, V>> sink, Scheduler.Worker worker) {
        this.sink = sink;
        this.worker = worker;
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
        liveEpochs.remove(epoch);
    }

    /** Emits the error after every record already emitted; nothing more is emitted afterwards. */
    void error(Throwable error) {
        try {
            worker.schedule(() -> {
                stopped = true;
                sink.error(error);
            });
        } catch (RejectedExecutionException alreadyStopped) {
            stopped = true;
            sink.error(error);
        }
    }

    Disposable stop() {
        stopped = true;
        return worker;
    }

    private void scheduleDrain() {
        if (wip.getAndIncrement() == 0) {
            worker.schedule(drain);
        }
    }

    private void drain() {
        int missed = 1;
        do {
            while (!stopped && requested.get() > 0) {
                ReceivedRecord<K, V> next = ready.poll();
                if (next == null) {
                    break;
                }
                readyCount.decrementAndGet();
                if (!liveEpochs.contains(next.assignmentEpoch())) {
                    continue;
                }
                if (requested.get() != Long.MAX_VALUE) {
                    requested.decrementAndGet();
                }
                sink.next(next);
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }
}
