package dev.flywheel.generator;

import dev.flywheel.runtime.bridge.ConsumedOffsets;
import dev.flywheel.runtime.bridge.KafkaReceiver;
import dev.flywheel.runtime.bridge.KafkaSender;
import dev.flywheel.runtime.bridge.ReceivedRecord;
import dev.flywheel.generator.batching.SampledBatch;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.common.TopicPartition;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * One consumer + transactional producer pair: the unit the generator recreates after a failed transaction, so that
 * the new consumer re-reads from the last committed prompt offsets and the new producer aborts anything left open.
 */
final class PromptSession implements AutoCloseable {
    private final KafkaReceiver<byte[], byte[]> receiver;
    private final KafkaSender<byte[], byte[]> sender;
    private final List<TopicPartition> promptPartitions;

    PromptSession(KafkaReceiver<byte[], byte[]> receiver, KafkaSender<byte[], byte[]> sender,
                  List<TopicPartition> promptPartitions) {
        this.receiver = receiver;
        this.sender = sender;
        this.promptPartitions = promptPartitions;
    }

    /**
     * Batches of prompt records, each sampled only after the previous one committed. What follows a commit runs on
     * {@code after}, never on the producer's thread: ending the flux there would make the sender wait on itself.
     *
     * <p>The group metadata is taken when the batch arrives, not when it commits: if the group rebalances while the
     * batch is sampled, the commit carries the old generation, the broker refuses the offsets and the transaction
     * aborts, instead of committing offsets of a partition that has meanwhile moved to another generator.
     *
     * <p>Before consuming, an empty transaction makes the producer initialise its transactional id. That fences a
     * dead predecessor and aborts the transaction it left open at once; otherwise the consumer's offset fetch would
     * wait on that transaction's pending offsets until the broker timed it out (a minute), while the producer would
     * only initialise once a first batch had been read.
     */
    Flux<BatchReport> run(GeneratorConfig config, Function<List<ReceivedRecord<byte[], byte[]>>, Mono<SampledBatch>> sample,
                          Function<SampledBatch, BatchReport> committed, Scheduler after) {
        return sender.sendTransactionally(List.of(), Map.of(), null)
                .thenMany(receiver.receive())
                .bufferTimeout(config.batchSize(), config.maxBatchDelay(), true)
                .concatMap(batch -> receiver.groupMetadata()
                        .flatMap(group -> sample.apply(batch).flatMap(sampled -> commit(sampled, group)))
                        .publishOn(after).map(committed), 1);
    }

    private Mono<SampledBatch> commit(SampledBatch batch, ConsumerGroupMetadata group) {
        return sender.sendTransactionally(batch.output(), ConsumedOffsets.after(batch.consumed()), group)
                .then(Mono.fromRunnable(() -> batch.consumed().forEach(ReceivedRecord::acknowledge)))
                .thenReturn(batch);
    }

    /** Pauses ({@code true}) or resumes every prompt partition; a no-op before the receiver runs. */
    void pausePrompts(boolean pause) {
        for (TopicPartition partition : promptPartitions) {
            try {
                if (pause) {
                    receiver.pause(partition);
                } else {
                    receiver.resume(partition);
                }
            } catch (IllegalStateException notRunning) {
                return;
            }
        }
    }

    @Override
    public void close() {
        sender.close();
    }
}
