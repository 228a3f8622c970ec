package dev.flywheel.generator;

import dev.flywheel.runtime.bridge.ConsumedOffsets;
import dev.flywheel.runtime.bridge.KafkaReceiver;
import dev.flywheel.runtime.bridge.KafkaSender;
import dev.flywheel.runtime.bridge.ReceivedRecord;
import dev.flywheel.generator.batching.SampledBatch;
import java.util.List;
import java.util.function.Function;
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
     */
    Flux<BatchReport> run(GeneratorConfig config, Function<List<ReceivedRecord<byte[], byte[]>>, Mono<SampledBatch>> sample,
                          Function<SampledBatch, BatchReport> committed, Scheduler after) {
        return receiver.receive()
                .bufferTimeout(config.batchSize(), config.maxBatchDelay(), true)
                .concatMap(batch -> sample.apply(batch).flatMap(this::commit).publishOn(after).map(committed), 1);
    }

    private Mono<SampledBatch> commit(SampledBatch batch) {
        return receiver.groupMetadata()
                .flatMap(group -> sender.sendTransactionally(batch.output(), ConsumedOffsets.after(batch.consumed()), group))
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
