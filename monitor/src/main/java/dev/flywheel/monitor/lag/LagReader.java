package dev.flywheel.monitor.lag;

import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.runtime.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads, per group, topic and partition, the committed offset, the end offset, the lag in records and in seconds and
 * the owning consumer; one snapshot per {@link #read()}.
 *
 * <p>Groups read are Flywheel's (every consumer group with a committed offset on a catalogue topic under the
 * configured prefix) plus the named ones. End offsets are the plain latest offsets, as {@code kafka-consumer-groups}
 * uses, so a read_committed consumer sitting before a transaction marker shows the marker in its lag as the tool
 * does. Partitions a group never committed on are not shown: there is no position to measure from.
 */
public final class LagReader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LagReader.class);
    private static final long TIMEOUT_S = 30;
    private static final Duration PROBE_WAIT = Duration.ofSeconds(5);

    private final Admin admin;
    private final RecordTimestamps timestamps;
    private final LagConfig config;
    private final Topics topics;
    private final InstantSource clock;

    private LagReader(Admin admin, RecordTimestamps timestamps, LagConfig config, InstantSource clock) {
        this.admin = admin;
        this.timestamps = timestamps;
        this.config = config;
        this.topics = Topics.withPrefix(config.topicPrefix());
        this.clock = clock;
    }

    /** A reader with its own admin client and probe consumer on the cluster {@code kafka} describes. */
    public static LagReader connect(KafkaSettings kafka, LagConfig config) {
        // Give up on an unreachable cluster after 30 s with an error, rather than retrying forever.
        Admin admin = Admin.create(kafka.clientProperties(Map.of(
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000,
                CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                CommonClientConfigs.CLIENT_ID_CONFIG, "flywheel-lag")));
        try {
            return new LagReader(admin, new RecordTimestamps(kafka, PROBE_WAIT), config, InstantSource.system());
        } catch (RuntimeException e) {
            admin.close();
            throw e;
        }
    }

    /** One snapshot of every reported group; each group's status is judged on this single sample. */
    public LagReport read() {
        Map<String, Map<TopicPartition, Long>> committed = committedOffsets();
        Map<String, ConsumerGroupDescription> described = describe(committed.keySet());
        Map<TopicPartition, Long> ends = endOffsets(committed);
        Map<RecordTimestamps.Lookup, OptionalLong> oldestUnread = timestamps.read(lookups(committed, ends));
        Instant now = clock.instant();
        StatusRules rules = StatusRules.overWindowOf(1);
        List<GroupLag> groups = new ArrayList<>();
        committed.forEach((group, offsets) -> {
            ConsumerGroupDescription description = described.get(group);
            Map<TopicPartition, MemberDescription> owners = owners(description);
            List<PartitionLag> partitions = new ArrayList<>();
            List<LagStatus> statuses = new ArrayList<>();
            offsets.forEach((partition, offset) -> {
                Long end = ends.get(partition);
                if (end == null) {
                    return;
                }
                MemberDescription owner = owners.get(partition);
                PartitionLag lag = new PartitionLag(partition.topic(), partition.partition(), offset, end, end - offset,
                        secondsBehind(oldestUnread, new RecordTimestamps.Lookup(partition, offset, end), now),
                        owner == null ? PartitionLag.NONE : owner.consumerId(),
                        owner == null ? PartitionLag.NONE : owner.host());
                partitions.add(lag);
                statuses.add(rules.judge(List.of(lag)));
            });
            partitions.sort(Comparator.comparing(PartitionLag::topic).thenComparingInt(PartitionLag::partition));
            String state = description == null ? "Dead" : description.groupState().toString();
            groups.add(new GroupLag(group, state, StatusRules.worstOf(statuses), partitions));
        });
        return new LagReport(now, groups);
    }

    /** Committed offsets of every reported group, by group id in order; partitions without a commit left out. */
    private Map<String, Map<TopicPartition, Long>> committedOffsets() {
        Set<String> candidates = new LinkedHashSet<>();
        for (GroupListing listing : get(admin.listGroups(ListGroupsOptions.forConsumerGroups()).all(), "list groups")) {
            candidates.add(listing.groupId());
        }
        candidates.addAll(config.extraGroups());
        Map<String, Map<TopicPartition, Long>> result = new TreeMap<>();
        if (candidates.isEmpty()) {
            return result;
        }
        // One request for every group's offsets; each group's answer is then taken (or fails) on its own.
        Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
        candidates.forEach(group -> specs.put(group, new ListConsumerGroupOffsetsSpec()));
        ListConsumerGroupOffsetsResult listed = admin.listConsumerGroupOffsets(specs);
        for (String group : candidates) {
            boolean named = config.extraGroups().contains(group);
            Map<TopicPartition, Long> offsets;
            try {
                offsets = offsetsOf(group, listed);
            } catch (IllegalStateException e) {
                if (named) {
                    throw e;
                }
                // Another tenant's group we may not read: it is not one of Flywheel's, whose offsets we can read.
                LOG.debug("skipping group {}: {}", group, e.getMessage());
                continue;
            }
            if (named || offsets.keySet().stream().anyMatch(p -> topics.byName(p.topic()).isPresent())) {
                result.put(group, offsets);
            }
        }
        return result;
    }

    private static Map<TopicPartition, Long> offsetsOf(String group, ListConsumerGroupOffsetsResult listed) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = get(listed.partitionsToOffsetAndMetadata(group),
                    "list the committed offsets of group '" + group + "'");
            // The admin client maps a partition without a committed offset to null.
            committed.forEach((partition, offset) -> {
                if (offset != null) {
                    offsets.put(partition, offset.offset());
                }
            });
        } catch (IllegalStateException e) {
            if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                throw e;
            }
            // A named group that does not exist (yet): reported with no partitions.
        }
        return offsets;
    }

    private Map<String, ConsumerGroupDescription> describe(Set<String> groups) {
        Map<String, ConsumerGroupDescription> result = new HashMap<>();
        admin.describeConsumerGroups(groups).describedGroups().forEach((group, future) -> {
            try {
                result.put(group, future.get(TIMEOUT_S, TimeUnit.SECONDS));
            } catch (ExecutionException | TimeoutException e) {
                // A named group that never existed has no description; it is reported as Dead, as Kafka's tool does.
                LOG.debug("no description of group {}: {}", group, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while describing consumer groups", e);
            }
        });
        return result;
    }

    /** Latest offsets (read_uncommitted, as Kafka's tool) of every committed partition; failing ones are logged. */
    private Map<TopicPartition, Long> endOffsets(Map<String, Map<TopicPartition, Long>> committed) {
        Map<TopicPartition, OffsetSpec> wanted = new HashMap<>();
        committed.values().forEach(offsets -> offsets.keySet().forEach(p -> wanted.put(p, OffsetSpec.latest())));
        Map<TopicPartition, Long> ends = new HashMap<>();
        if (wanted.isEmpty()) {
            return ends;
        }
        var result = admin.listOffsets(wanted);
        for (TopicPartition partition : wanted.keySet()) {
            try {
                ends.put(partition, result.partitionResult(partition).get(TIMEOUT_S, TimeUnit.SECONDS).offset());
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("no end offset for {} (left out of the lag report): {}", partition,
                        e.getCause() == null ? e.toString() : e.getCause().getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while listing end offsets", e);
            }
        }
        return ends;
    }

    private static Set<RecordTimestamps.Lookup> lookups(Map<String, Map<TopicPartition, Long>> committed,
                                                        Map<TopicPartition, Long> ends) {
        Set<RecordTimestamps.Lookup> lookups = new LinkedHashSet<>();
        committed.values().forEach(offsets -> offsets.forEach((partition, offset) -> {
            Long end = ends.get(partition);
            if (end != null && end > offset) {
                lookups.add(new RecordTimestamps.Lookup(partition, offset, end));
            }
        }));
        return lookups;
    }

    private static double secondsBehind(Map<RecordTimestamps.Lookup, OptionalLong> oldestUnread,
                                        RecordTimestamps.Lookup lookup, Instant now) {
        if (lookup.endOffset() <= lookup.offset()) {
            return 0.0;
        }
        OptionalLong timestamp = oldestUnread.get(lookup);
        if (timestamp == null) {
            return Double.NaN; // not read within the probe's wait
        }
        // Nothing but markers left, or a producer clock ahead of ours: no record is waiting longer than now.
        return timestamp.isEmpty() ? 0.0 : Math.max(0, now.toEpochMilli() - timestamp.getAsLong()) / 1000.0;
    }

    private static Map<TopicPartition, MemberDescription> owners(ConsumerGroupDescription description) {
        Map<TopicPartition, MemberDescription> owners = new HashMap<>();
        if (description != null) {
            for (MemberDescription member : description.members()) {
                member.assignment().topicPartitions().forEach(p -> owners.put(p, member));
            }
        }
        return owners;
    }

    private static <T> T get(KafkaFuture<T> future, String what) {
        try {
            return future.get(TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out after " + TIMEOUT_S + " s trying to " + what
                    + ": is Kafka reachable at the bootstrap servers?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while trying to " + what, e);
        }
    }

    @Override
    public void close() {
        timestamps.close();
        admin.close(Duration.ofSeconds(5));
    }
}
