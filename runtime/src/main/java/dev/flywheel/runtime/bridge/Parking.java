package dev.flywheel.runtime.bridge;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether the consumer thread is parked in a poll that cannot return records (everything paused for
 * backpressure), and which event from another thread should wake it: enough acknowledgements to reach the low
 * watermark, or new demand. Exactly one waker claims each parking.
 */
final class Parking {
    private final AtomicBoolean parked = new AtomicBoolean();
    private final AtomicInteger acksWhileParked = new AtomicInteger();
    private volatile int acksToLeave;
    private volatile boolean forDemand;

    /** Called by the consumer thread right before such a poll. */
    void park(boolean waitingForDemand, int acksNeeded) {
        forDemand = waitingForDemand;
        acksToLeave = waitingForDemand ? Integer.MAX_VALUE : Math.max(1, acksNeeded);
        acksWhileParked.set(0);
        parked.set(true);
    }

    /** Called by the consumer thread once the poll returned. */
    void leave() {
        parked.set(false);
    }

    /** An acknowledgement arrived; returns whether it should wake the consumer thread. */
    boolean acknowledgementArrived() {
        return parked.get() && !forDemand && acksWhileParked.incrementAndGet() >= acksToLeave;
    }

    /** Downstream asked for more; returns whether that should wake the consumer thread. */
    boolean demandArrived() {
        return parked.get() && forDemand;
    }

    /** Claims the wake-up of the current parking; true for exactly one caller per parking. */
    boolean claimWakeUp() {
        return parked.compareAndSet(true, false);
    }
}
