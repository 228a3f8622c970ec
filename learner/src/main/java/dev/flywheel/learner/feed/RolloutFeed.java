package dev.flywheel.learner.feed;

import dev.flywheel.learner.experience.Experience;
import dev.flywheel.learner.experience.ExperienceDecoder;
import dev.flywheel.learner.experience.GroupAssembler;
import dev.flywheel.learner.ledger.RecordPosition;
import dev.flywheel.schemas.ScoredRollout;
import dev.flywheel.schemas.serde.AvroSerdes;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scored rollouts for PPO, GRPO and RLOO: leaves human labels to the preference learners, drops rollouts whose
 * policy is more than {@code maxStaleness} versions behind the learner's, and (for the group algorithms) holds
 * samples back until their group is complete.
 */
public final class RolloutFeed implements ExampleFeed<Experience> {
    private static final Logger LOG = LoggerFactory.getLogger(RolloutFeed.class);
    private static final long WARN_EVERY_NANOS = 10_000_000_000L;

    private final Deserializer<ScoredRollout> values = AvroSerdes.scoredRollout().deserializer();
    private final ExperienceDecoder decoder;
    private final GroupAssembler groups;
    private final LongSupplier currentVersion;
    private final long maxStaleness;
    private final LongConsumer staleness;
    private long staleSinceWarning;
    private long lastWarningNanos = System.nanoTime() - WARN_EVERY_NANOS;

    /**
     * A feed; {@code groups} is null for PPO (no grouping), {@code staleness} hears the version gap of every
     * rollout kept.
     */
    public RolloutFeed(ExperienceDecoder decoder, GroupAssembler groups, LongSupplier currentVersion,
                       long maxStaleness, LongConsumer staleness) {
        this.decoder = decoder;
        this.groups = groups;
        this.currentVersion = currentVersion;
        this.maxStaleness = maxStaleness;
        this.staleness = staleness;
    }

    @Override
    public void accept(RecordPosition position, byte[] value, ExampleSink<Experience> sink) {
        ScoredRollout scored = values.deserialize(position.topic(), value);
        if (!ExperienceDecoder.isModelScored(scored)) {
            sink.dropped(List.of(position), "human_label");
            return;
        }
        long gap = currentVersion.getAsLong() - scored.getPolicyVersion();
        if (gap > maxStaleness) {
            sink.dropped(List.of(position), "stale");
            warnStale(scored.getPolicyVersion(), currentVersion.getAsLong());
            return;
        }
        Experience e = decoder.experience(position, scored);
        staleness.accept(Math.max(0, gap));
        if (groups == null) {
            sink.ready(e, List.of(position));
            return;
        }
        GroupAssembler.Offer offer = groups.offer(e);
        offer.completed().forEach(group -> group.forEach(x -> sink.ready(x, List.of(x.source()))));
        offer.expired().forEach(group -> sink.dropped(group.stream().map(Experience::source).toList(),
                "incomplete_group"));
    }

    /** A learner that only sees stale rollouts cannot train: say so, at most every ten seconds. */
    private void warnStale(long rolloutVersion, long learnerVersion) {
        staleSinceWarning++;
        if (System.nanoTime() - lastWarningNanos >= WARN_EVERY_NANOS) {
            LOG.warn("dropped {} stale rollouts (the last of policy v{}, {} versions behind the learner's v{}; max "
                    + "staleness {}): are the generators swapping to the published versions?", staleSinceWarning,
                    rolloutVersion, learnerVersion - rolloutVersion, learnerVersion, maxStaleness);
            staleSinceWarning = 0;
            lastWarningNanos = System.nanoTime();
        }
    }
}
