package dev.flywheel.generator.batching;

import dev.flywheel.runtime.bridge.ReceivedRecord;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A batch after sampling, ready for its transaction.
 *
 * @param consumed      the prompt records, all of which the transaction's offsets cover
 * @param output        rollouts and dead letters, in prompt order
 * @param deadLetters   the dead letters among {@code output}, counted once the transaction commits
 * @param policyVersion the version that sampled every rollout
 * @param rollouts      number of rollouts in {@code output}
 * @param tokens        response tokens over those rollouts
 * @param arrivalNanos  when the batch reached the generator
 */
public record SampledBatch(List<ReceivedRecord<byte[], byte[]>> consumed, List<ProducerRecord<byte[], byte[]>> output,
                           List<ProducerRecord<byte[], byte[]>> deadLetters, long policyVersion, int rollouts,
                           long tokens, long arrivalNanos) {
}
