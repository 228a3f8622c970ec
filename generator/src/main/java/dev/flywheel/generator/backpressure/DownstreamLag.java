package dev.flywheel.generator.backpressure;

import dev.flywheel.generator.metrics.GeneratorMetrics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lag of a downstream consumer group on a topic, in records, measured with the Admin API at a fixed interval.
 *
 * <p>Lag per partition is the log-end offset minus the group's committed offset (the log-start offset when the
 * group has committed nothing there, e.g. when no learner ever ran). Between measurements the generator adds what
 * it has produced since the last measurement began ({@link #estimate()}), so a fast generator cannot overshoot the
 * bound by a whole interval's worth of rollouts; the estimate only ever errs high.
 */
public final class DownstreamLag implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DownstreamLag.class);
    private static final long TIMEOUT_SECONDS = 30;

    private final Admin admin;
    private final String topic;
    private final String group;
    private final GeneratorMetrics metrics;
    private final ScheduledExecutorService schedule;
    private final AtomicLong produced = new AtomicLong();
    private volatile long measured;
    private volatile long producedAtMeasurement;

    private DownstreamLag(Admin admin, String topic, String group, GeneratorMetrics metrics) {
        this.admin = admin;
        this.topic = topic;
        this.group = group;
        this.metrics = metrics;
        this.schedule = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "fw-generator-lag");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Measures once now (failing if the topic is missing), then every {@code interval} in the background. */
    public static DownstreamLag watch(Admin admin, String topic, String group, Duration interval, GeneratorMetrics metrics) {
        DownstreamLag lag = new DownstreamLag(admin, topic, group, metrics);
        lag.measure();
        lag.schedule.scheduleWithFixedDelay(lag::measureQuietly, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        return lag;
    }

    /** The watched topic. */
    public String topic() {
        return topic;
    }

    /** The watched group. */
    public String group() {
        return group;
    }

    /** Tells the estimate that {@code records} more were produced towards the downstream topic. */
    public void produced(long records) {
        produced.addAndGet(records);
    }

    /** Last measured lag plus what was produced since that measurement began. */
    public long estimate() {
        return measured + (produced.get() - producedAtMeasurement);
    }

    private void measureQuietly() {
        try {
            measure();
        } catch (RuntimeException e) {
            // Keep the last value: a broker hiccup should neither release nor tighten the bound.
            LOG.warn("cannot measure lag of group {} on {}: {}", group, topic, e.toString());
        }
    }

    private void measure() {
        long producedBefore = produced.get();
        try {
            List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(topic).partitions().stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<TopicPartition, Long> end = offsets(partitions, OffsetSpec.latest());
            Map<TopicPartition, Long> start = offsets(partitions, OffsetSpec.earliest());
            Map<TopicPartition, OffsetAndMetadata> committed = committed();
            long lag = 0;
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata at = committed.get(partition);
                long from = at == null ? start.get(partition) : Math.max(at.offset(), start.get(partition));
                lag += Math.max(0, end.get(partition) - from);
            }
            measured = lag;
            producedAtMeasurement = producedBefore;
            metrics.downstreamLag(lag);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot measure the lag of group " + group + " on topic " + topic + ": "
                    + e.getCause().getMessage() + " (does the topic exist? create it with 'flywheel topics create')",
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out measuring the lag of group " + group + " on " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring lag", e);
        }
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec)
            throws ExecutionException, InterruptedException, TimeoutException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(p -> request.put(p, spec));
        Map<TopicPartition, ListOffsetsResultInfo> result = admin.listOffsets(request).all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        result.forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }

    private Map<TopicPartition, OffsetAndMetadata> committed()
            throws ExecutionException, InterruptedException, TimeoutException {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> present = new HashMap<>();
            offsets.forEach((partition, offset) -> {
                if (offset != null) {
                    present.put(partition, offset);
                }
            });
            return present;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return Map.of();
            }
            throw e;
        }
    }

    /** Stops measuring; the admin client belongs to the caller. */
    @Override
    public void close() {
        schedule.shutdownNow();
    }
}
