package dev.flywheel.runtime.topics;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * Waits until freshly created topics can take writes: every partition has a leader that answers.
 *
 * <p>Producing to a topic whose leaders are still being elected was seen to get NOT_LEADER_OR_FOLLOWER and then
 * endless OUT_OF_ORDER_SEQUENCE_NUMBER retries from an idempotent producer, so whoever creates topics waits here.
 */
public final class TopicReadiness {

    private TopicReadiness() {}

    /** Returns once every partition of {@code topics} has a leader answering list-offsets, or fails after {@code timeout}. */
    public static void awaitLeaders(Admin admin, Collection<String> topics, Duration timeout) {
        if (topics.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (leadersAnswer(admin, topics)) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for leaders of " + topics, e);
            }
            sleep();
        }
        throw new IllegalStateException("topics " + topics + " still have partitions without a leader after " + timeout, last);
    }

    private static boolean leadersAnswer(Admin admin, Collection<String> topics)
            throws ExecutionException, InterruptedException, TimeoutException {
        Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        for (TopicDescription description : described.values()) {
            for (var partition : description.partitions()) {
                if (partition.leader() == null || partition.leader().isEmpty()) {
                    return false;
                }
                partitions.put(new TopicPartition(description.name(), partition.partition()), OffsetSpec.latest());
            }
        }
        admin.listOffsets(partitions).all().get(10, TimeUnit.SECONDS);
        return true;
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for topic leaders", e);
        }
    }
}
