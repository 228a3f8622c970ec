package dev.flywheel.cli.demo;

import dev.flywheel.cli.bench.LatencySummary;
import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.runtime.topics.Topics;
import dev.flywheel.schemas.PolicyVersion;
import dev.flywheel.schemas.OffsetRange;
import dev.flywheel.schemas.PreferencePair;
import dev.flywheel.schemas.Prompt;
import dev.flywheel.schemas.RewardSource;
import dev.flywheel.schemas.ScoredRollout;
import dev.flywheel.schemas.serde.AvroSerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows fw.prompts, fw.scored-rollouts, fw.preferences and fw.policy-versions from their beginning to measure how
 * long an event takes to reach a published policy: for every record in a version's lineage, the time from the event
 * that started it (the prompt's ts for a scored rollout, joined by prompt id; the feedback's ts for a human label;
 * the pair's ts, that of its latest vote, for a preference pair) to the first version whose lineage holds it.
 *
 * <p>It also keeps the scorer's mean reward per sampling policy version, which is how the demo reports the SFT
 * policy's reward. One consumer, assigned (no group), read_committed, on its own thread.
 */
public final class LineageLatency implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LineageLatency.class);

    private final KafkaSettings kafka;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Topics topics;
    private final String model;
    private final Thread thread;
    private final Map<String, Long> promptTs = new HashMap<>();
    private final Map<TopicPartition, Map<Long, Origin>> origins = new HashMap<>();
    private final List<PolicyVersion> versions = new ArrayList<>();
    private final Map<Long, double[]> rewardByVersion = new HashMap<>();
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private final List<TopicPartition> assigned = new ArrayList<>();
    private long undecodable;
    private volatile boolean closing;
    private volatile String failure;

    /** Where a lineage record started: a prompt to look up, or a timestamp of its own. */
    private record Origin(String promptId, long ts) {
    }

    private LineageLatency(KafkaSettings kafka, Topics topics, String model) {
        this.kafka = kafka;
        this.topics = topics;
        this.model = model;
        this.consumer = new KafkaConsumer<>(kafka.clientProperties(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000)), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "demo-lineage-latency");
    }

    /** Starts following the four topics from their beginning, for the versions of {@code model}. */
    public static LineageLatency follow(KafkaSettings kafka, Topics topics, String model) {
        LineageLatency latency = new LineageLatency(kafka, topics, model);
        List<TopicPartition> partitions = latency.assigned;
        for (String topic : List.of(topics.prompts().name(), topics.scoredRollouts().name(),
                topics.preferences().name(), topics.policyVersions().name())) {
            latency.consumer.partitionsFor(topic, Duration.ofSeconds(60))
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        latency.consumer.assign(partitions);
        latency.consumer.seekToBeginning(partitions);
        latency.thread.setDaemon(true);
        latency.thread.start();
        return latency;
    }

    private void run() {
        try {
            while (!closing) {
                var records = consumer.poll(Duration.ofMillis(200));
                synchronized (this) {
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        accept(r);
                    }
                    for (TopicPartition tp : assigned) {
                        positions.put(tp, consumer.position(tp));
                    }
                    notifyAll();
                }
            }
        } catch (WakeupException woken) {
            // close() ended the poll.
        } catch (RuntimeException e) {
            failure = e.toString();
            LOG.error("lineage follower stopped: {}", e.toString(), e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void accept(ConsumerRecord<byte[], byte[]> r) {
        try {
            String topic = r.topic();
            TopicPartition tp = new TopicPartition(topic, r.partition());
            if (topic.equals(topics.prompts().name())) {
                Prompt p = AvroSerdes.prompt().deserializer().deserialize(topic, r.value());
                promptTs.put(p.getId(), p.getTs().toEpochMilli());
            } else if (topic.equals(topics.scoredRollouts().name())) {
                ScoredRollout s = AvroSerdes.scoredRollout().deserializer().deserialize(topic, r.value());
                boolean human = s.getRewardSource() == RewardSource.HUMAN;
                origins.computeIfAbsent(tp, k -> new HashMap<>()).put(r.offset(),
                        human ? new Origin(null, s.getTs().toEpochMilli()) : new Origin(s.getPromptId(), -1));
                if (!human) {
                    double[] sum = rewardByVersion.computeIfAbsent(s.getPolicyVersion(), v -> new double[2]);
                    sum[0] += s.getReward();
                    sum[1]++;
                }
            } else if (topic.equals(topics.preferences().name())) {
                PreferencePair p = AvroSerdes.preferencePair().deserializer().deserialize(topic, r.value());
                origins.computeIfAbsent(tp, k -> new HashMap<>()).put(r.offset(), new Origin(null, p.getTs().toEpochMilli()));
            } else {
                PolicyVersion v = AvroSerdes.policyVersion().deserializer().deserialize(topic, r.value());
                if (model.equals(v.getModel())) {
                    versions.add(v);
                }
            }
        } catch (RuntimeException e) {
            undecodable++;
        }
    }

    /** Waits until everything written to the four topics before this call has been read; false on timeout. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        Map<TopicPartition, Long> end;
        try (KafkaConsumer<byte[], byte[]> probe = new KafkaConsumer<>(kafka.clientProperties(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            end = probe.endOffsets(assigned, Duration.ofSeconds(30));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (!caughtUp(end)) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || failure != null || !thread.isAlive()) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(500)));
            }
            return true;
        }
    }

    private boolean caughtUp(Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> positions.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }

    /** The published versions of the model read so far, in topic order. */
    public synchronized List<PolicyVersion> versions() {
        return List.copyOf(versions);
    }

    /** The scorer's mean reward over the rollouts that {@code policyVersion} sampled, if it sampled any. */
    public synchronized OptionalDouble meanReward(long policyVersion) {
        double[] sum = rewardByVersion.get(policyVersion);
        return sum == null || sum[1] == 0 ? OptionalDouble.empty() : OptionalDouble.of(sum[0] / sum[1]);
    }

    /** Rollouts the scorer scored with {@code policyVersion}'s samples, as read so far. */
    public synchronized long scoredBy(long policyVersion) {
        double[] sum = rewardByVersion.get(policyVersion);
        return sum == null ? 0 : (long) sum[1];
    }

    /**
     * Event-to-published-version latency over the lineage of every version published at or after {@code since};
     * empty when no lineage record could be traced to its event.
     */
    public synchronized Optional<LatencySummary> latency(Instant since) {
        Map<String, Long> firstPublished = new HashMap<>();
        Map<String, Long> startedAt = new HashMap<>();
        for (PolicyVersion v : versions) {
            if (v.getTs().isBefore(since)) {
                continue;
            }
            long published = v.getTs().toEpochMilli();
            for (OffsetRange range : v.getLineage()) {
                Map<Long, Origin> byOffset = origins.get(new TopicPartition(range.getTopic(), range.getPartition()));
                if (byOffset == null) {
                    continue;
                }
                for (long offset = range.getFromOffset(); offset < range.getToOffset(); offset++) {
                    Origin origin = byOffset.get(offset);
                    Long started = origin == null ? null
                            : origin.promptId() == null ? Long.valueOf(origin.ts()) : promptTs.get(origin.promptId());
                    if (started != null) {
                        String key = range.getTopic() + "/" + range.getPartition() + "@" + offset;
                        firstPublished.merge(key, published, Math::min);
                        startedAt.put(key, started);
                    }
                }
            }
        }
        if (firstPublished.isEmpty()) {
            return Optional.empty();
        }
        List<Double> millis = new ArrayList<>(firstPublished.size());
        firstPublished.forEach((key, published) -> millis.add((double) (published - startedAt.get(key))));
        return Optional.of(LatencySummary.ofMillis(millis));
    }

    /** Records that could not be decoded (skipped). */
    public synchronized long undecodable() {
        return undecodable;
    }

    /** Stops the follower thread and closes its consumer. */
    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
