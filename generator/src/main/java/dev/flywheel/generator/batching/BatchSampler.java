package dev.flywheel.generator.batching;

import dev.flywheel.generator.metrics.GeneratorMetrics;
import dev.flywheel.generator.swap.LoadedPolicy;
import dev.flywheel.runtime.bridge.ReceivedRecord;
import dev.flywheel.runtime.deadletter.DeadLetters;
import dev.flywheel.schemas.Rollout;
import dev.flywheel.schemas.serde.AvroSerdes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Samples a whole batch of prompt records with one policy version, dead-lettering the ones that cannot be used. */
public final class BatchSampler {
    private static final Logger LOG = LoggerFactory.getLogger(BatchSampler.class);

    private final PromptIntake intake = new PromptIntake();
    private final RolloutSampler sampler;
    private final DeadLetters deadLetters;
    private final String rolloutTopic;
    private final GeneratorMetrics metrics;
    private final Serializer<Rollout> rollouts = AvroSerdes.rollout().serializer();

    /** Writes rollouts to {@code rolloutTopic} and refused prompts through {@code deadLetters}. */
    public BatchSampler(RolloutSampler sampler, DeadLetters deadLetters, String rolloutTopic, GeneratorMetrics metrics) {
        this.sampler = sampler;
        this.deadLetters = deadLetters;
        this.rolloutTopic = rolloutTopic;
        this.metrics = metrics;
    }

    /** Samples every usable prompt of {@code batch} with {@code policy}. */
    public SampledBatch sample(List<ReceivedRecord<byte[], byte[]>> batch, LoadedPolicy policy, long arrivalNanos) {
        List<ProducerRecord<byte[], byte[]>> output = new ArrayList<>();
        List<ProducerRecord<byte[], byte[]>> dead = new ArrayList<>();
        int rolloutCount = 0;
        long tokens = 0;
        for (ReceivedRecord<byte[], byte[]> record : batch) {
            PromptIntake.Outcome outcome = intake.admit(record.consumerRecord(), policy.policy());
            if (outcome instanceof PromptIntake.Refused refused) {
                LOG.warn("dead-lettering prompt record {}: {}", record, refused.cause().getMessage());
                metrics.promptRejected(refused.reason());
                ProducerRecord<byte[], byte[]> letter = deadLetters.deadLetterFor(record.consumerRecord(), refused.cause());
                output.add(letter);
                dead.add(letter);
                continue;
            }
            PromptIntake.Accepted accepted = (PromptIntake.Accepted) outcome;
            byte[] key = accepted.prompt().getId().getBytes(StandardCharsets.UTF_8);
            for (Rollout rollout : sampler.sample(policy, accepted.prompt(), accepted.tokenIds())) {
                output.add(new ProducerRecord<>(rolloutTopic, key, rollouts.serialize(rolloutTopic, rollout)));
                rolloutCount++;
                tokens += rollout.getResponseTokenIds().size();
            }
        }
        return new SampledBatch(List.copyOf(batch), output, dead, policy.version(), rolloutCount, tokens, arrivalNanos);
    }
}
