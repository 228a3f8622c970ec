package dev.flywheel.feedback.pending;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Feedback waiting in a state store for a rollout it names: held under a key whose prefix groups what one arriving
 * rollout can release, and given up (for a dead letter) once it has waited the grace period.
 */
public final class WaitingRoom {
    private final KeyValueStore<String, PendingFeedback> store;

    /** A waiting room over {@code store}. */
    public WaitingRoom(KeyValueStore<String, PendingFeedback> store) {
        this.store = store;
    }

    /** Holds {@code pending} under {@code key}. */
    public void hold(String key, PendingFeedback pending) {
        store.put(key, pending);
    }

    /** Removes and returns the feedback under keys starting with {@code prefix} that waits for {@code rolloutId}. */
    public List<PendingFeedback> release(String prefix, String rolloutId) {
        List<KeyValue<String, PendingFeedback>> ready = new ArrayList<>();
        try (KeyValueIterator<String, PendingFeedback> it = store.prefixScan(prefix, new StringSerializer())) {
            it.forEachRemaining(entry -> {
                if (entry.value.awaitedId().equals(rolloutId)) {
                    ready.add(entry);
                }
            });
        }
        return remove(ready);
    }

    /** Removes and returns the feedback that has waited at least {@code grace} at wall-clock time {@code nowMs}. */
    public List<PendingFeedback> expire(long nowMs, Duration grace) {
        List<KeyValue<String, PendingFeedback>> overdue = new ArrayList<>();
        try (KeyValueIterator<String, PendingFeedback> it = store.all()) {
            it.forEachRemaining(entry -> {
                if (entry.value.overdue(nowMs, grace.toMillis())) {
                    overdue.add(entry);
                }
            });
        }
        return remove(overdue);
    }

    private List<PendingFeedback> remove(List<KeyValue<String, PendingFeedback>> entries) {
        entries.forEach(entry -> store.delete(entry.key));
        return entries.stream().map(entry -> entry.value).toList();
    }
}
