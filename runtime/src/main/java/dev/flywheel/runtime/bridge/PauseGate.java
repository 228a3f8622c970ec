package dev.flywheel.runtime.bridge;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Decides which assigned partitions a receiver's consumer must have paused, keeping the two reasons apart:
 * backpressure pauses every assigned partition and lifts itself, a user's pause holds one partition until the
 * user lifts it. Confined to the consumer thread.
 */
final class PauseGate {
    private final int highWatermark;
    private final int lowWatermark;
    private final int maxPollRecords;
    private final Set<TopicPartition> userPaused = new HashSet<>();
    private boolean forDemand;
    private boolean forWatermark;

    PauseGate(ReceiverOptions<?, ?> options) {
        this.highWatermark = options.highWatermark();
        this.lowWatermark = options.lowWatermark();
        this.maxPollRecords = options.maxPollRecords();
    }

    void pauseByUser(TopicPartition partition) {
        userPaused.add(partition);
    }

    void resumeByUser(TopicPartition partition) {
        userPaused.remove(partition);
    }

    /**
     * Re-evaluates backpressure: hold for demand while downstream wants nothing more; hold for the watermark from
     * when a full poll would no longer fit under the high watermark until in-flight falls to the low one.
     */
    void update(int inFlight, boolean downstreamWantsMore) {
        forDemand = !downstreamWantsMore;
        forWatermark = forWatermark ? inFlight > lowWatermark : inFlight + maxPollRecords > highWatermark;
    }

    boolean holdsForDemand() {
        return forDemand;
    }

    boolean holdsForWatermark() {
        return forWatermark;
    }

    boolean holdsEverything() {
        return forDemand || forWatermark;
    }

    /** Pauses and resumes so that exactly the partitions that should be paused are. */
    void apply(Consumer<?, ?> consumer) {
        Set<TopicPartition> assigned = consumer.assignment();
        Set<TopicPartition> paused = consumer.paused();
        List<TopicPartition> toPause = new ArrayList<>();
        List<TopicPartition> toResume = new ArrayList<>();
        for (TopicPartition partition : assigned) {
            boolean wanted = holdsEverything() || userPaused.contains(partition);
            if (wanted && !paused.contains(partition)) {
                toPause.add(partition);
            } else if (!wanted && paused.contains(partition)) {
                toResume.add(partition);
            }
        }
        consumer.pause(toPause);
        consumer.resume(toResume);
    }

    int pausedForBackpressure(Set<TopicPartition> assigned) {
        return holdsEverything() ? assigned.size() : 0;
    }

    int pausedByUser(Set<TopicPartition> assigned) {
        return (int) assigned.stream().filter(userPaused::contains).count();
    }
}
