package dev.flywheel.runtime.bridge;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * Offsets of one partition received during one assignment, and which of them were acknowledged; yields the
 * offset it is safe to commit. Confined to the consumer thread.
 *
 * <p>Contiguity is over the offsets actually received, not over integers: transaction markers and compaction
 * leave gaps that must not block commits.
 */
final class PartitionLedger {
    private final long epoch;
    private final ArrayDeque<Long> pending = new ArrayDeque<>();
    private final Set<Long> acknowledgedAhead = new HashSet<>();
    private long lastReceived = -1;
    private long commitPosition = -1;
    private long committed = -1;

    PartitionLedger(long epoch) {
        this.epoch = epoch;
    }

    long epoch() {
        return epoch;
    }

    void received(long offset) {
        if (offset <= lastReceived) {
            throw new IllegalStateException("offset " + offset + " received after " + lastReceived
                    + "; the receiver never seeks, so this is a bug");
        }
        pending.addLast(offset);
        lastReceived = offset;
    }

    /** Records an acknowledgement; returns whether it was new (so the in-flight count drops by one). */
    boolean acknowledge(long offset) {
        if (pending.isEmpty() || offset < pending.peekFirst() || offset > lastReceived) {
            return false;
        }
        if (!acknowledgedAhead.add(offset)) {
            return false;
        }
        while (!pending.isEmpty() && acknowledgedAhead.remove(pending.peekFirst())) {
            commitPosition = pending.pollFirst() + 1;
        }
        return true;
    }

    /** Records received and not yet acknowledged. */
    int unacknowledged() {
        return pending.size() - acknowledgedAhead.size();
    }

    /** The offset to commit if the contiguous acknowledged prefix moved past the last commit, else -1. */
    long uncommittedPosition() {
        return commitPosition > committed ? commitPosition : -1;
    }

    void committed(long position) {
        committed = Math.max(committed, position);
    }
}
