package dev.flywheel.runtime.bridge;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of a receiver's consumer thread: the only code that touches the {@code KafkaConsumer}. Other threads
 * reach it through two queues (acknowledgements, and tasks such as pause or group-metadata requests) that it
 * drains between polls, so their latency is at most one poll timeout.
 *
 * <p>While every assigned partition is paused for backpressure the thread is <em>parked</em> in a poll that can
 * return nothing; the acknowledgement or request that lifts the backpressure then wakes it
 * ({@code KafkaConsumer.wakeup()}) instead of letting it wait out the poll timeout, which would throttle a fast
 * subscriber to one watermark cycle per poll timeout.
 */
final class ConsumerLoop<K, V> implements Runnable, ConsumerRebalanceListener {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);

    private final ReceiverOptions<K, V> options;
    private final RecordEmitter<K, V> emitter;
    private final ReceiverMetrics metrics;
    private final Runnable onExit;
    private final Queue<Acknowledgement> acks = new ConcurrentLinkedQueue<>();
    private final Queue<Consumer<KafkaConsumer<K, V>>> tasks = new ConcurrentLinkedQueue<>();
    private final Map<TopicPartition, PartitionLedger> ledgers = new HashMap<>();
    private final PauseGate gate;
    private final Parking parking = new Parking();
    private final ReceivedRecord.Acknowledger acknowledger = this::acknowledge;
    private volatile KafkaConsumer<K, V> consumer;
    private long lastEpoch;
    private int inFlight;
    private int acksSinceCommit;
    private long lastCommitNanos = System.nanoTime();
    private volatile boolean closing;
    private volatile boolean exited;

    ConsumerLoop(ReceiverOptions<K, V> options, RecordEmitter<K, V> emitter, ReceiverMetrics metrics, Runnable onExit) {
        this.options = options;
        this.emitter = emitter;
        this.metrics = metrics;
        this.onExit = onExit;
        this.gate = new PauseGate(options);
    }

    void acknowledge(TopicPartition partition, long offset, long epoch) {
        acks.add(new Acknowledgement(partition, offset, epoch));
        if (parking.acknowledgementArrived()) {
            wake();
        }
    }

    /** Downstream asked for more records. */
    void requested() {
        if (parking.demandArrived()) {
            wake();
        }
    }

    private void wake() {
        if (parking.claimWakeUp()) {
            consumer.wakeup();
        }
    }

    /** Runs {@code task} on the consumer thread; {@code onClosed} instead if the loop has ended or ends first. */
    void submit(Consumer<KafkaConsumer<K, V>> task, Runnable onClosed) {
        tasks.add(consumer -> {
            if (consumer == null) {
                onClosed.run();
            } else {
                task.accept(consumer);
            }
        });
        if (exited) {
            runTasks(null);
        }
        wake();
    }

    void pause(TopicPartition partition) {
        submit(c -> gate.pauseByUser(partition), () -> { });
    }

    void resume(TopicPartition partition) {
        submit(c -> gate.resumeByUser(partition), () -> { });
    }

    void close() {
        closing = true;
        wake();
    }

    @Override
    public void run() {
        try {
            consumer = new KafkaConsumer<>(options.consumerProperties(), options.keyDeserializer(),
                    options.valueDeserializer());
            metrics.bindClient(consumer);
            if (options.pattern() != null) {
                consumer.subscribe(options.pattern(), this);
            } else {
                consumer.subscribe(options.topics(), this);
            }
            while (!closing) {
                runTasks(consumer);
                processAcks();
                maybeCommit();
                reconcilePauses();
                deliver(poll());
            }
            processAcks();
            commit(List.copyOf(ledgers.keySet()));
        } catch (Throwable error) {
            LOG.error("receiver {} stopped: {}", options.name(), error.toString());
            emitter.error(error);
        } finally {
            shutDown();
        }
    }

    private ConsumerRecords<K, V> poll() {
        park();
        try {
            return consumer.poll(options.pollTimeout());
        } catch (WakeupException woken) {
            return ConsumerRecords.empty();
        } catch (RetriableException transientFailure) {
            // Documented behaviour: retriable client errors are retried by polling again, not surfaced.
            LOG.warn("receiver {}: retriable poll failure, polling again: {}", options.name(), transientFailure.toString());
            return ConsumerRecords.empty();
        } finally {
            parking.leave();
        }
    }

    private void park() {
        if (!gate.holdsEverything() || consumer.assignment().isEmpty() || closing) {
            return;
        }
        parking.park(gate.holdsForDemand(), inFlight - options.lowWatermark());
        if (!acks.isEmpty() && !gate.holdsForDemand() || emitter.wantsMore() && !gate.holdsForWatermark()) {
            // What would unpark us may have arrived before we parked.
            wake();
        }
    }

    private void deliver(ConsumerRecords<K, V> records) {
        if (records.isEmpty()) {
            return;
        }
        List<ReceivedRecord<K, V>> batch = new ArrayList<>(records.count());
        for (TopicPartition partition : records.partitions()) {
            PartitionLedger ledger = ledgers.get(partition);
            for (ConsumerRecord<K, V> record : records.records(partition)) {
                ledger.received(record.offset());
                batch.add(new ReceivedRecord<>(record, ledger.epoch(), acknowledger));
            }
        }
        inFlight += batch.size();
        metrics.received(batch.size());
        metrics.inFlight(inFlight);
        emitter.offer(batch);
    }

    private void processAcks() {
        Acknowledgement ack;
        while ((ack = acks.poll()) != null) {
            PartitionLedger ledger = ledgers.get(ack.partition());
            if (ledger == null || ledger.epoch() != ack.epoch()) {
                metrics.ackDiscarded();
            } else if (ledger.acknowledge(ack.offset())) {
                inFlight--;
                acksSinceCommit++;
            }
        }
        metrics.inFlight(inFlight);
    }

    private void maybeCommit() {
        boolean due = System.nanoTime() - lastCommitNanos >= options.commitInterval().toNanos();
        if (due || acksSinceCommit >= options.commitBatchSize()) {
            commit(List.copyOf(ledgers.keySet()));
        }
    }

    /** Commits the contiguous acknowledged prefix of {@code partitions}; never in transactional mode. */
    private void commit(Collection<TopicPartition> partitions) {
        lastCommitNanos = System.nanoTime();
        if (options.commitStrategy() != CommitStrategy.ACKNOWLEDGED) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : partitions) {
            PartitionLedger ledger = ledgers.get(partition);
            long position = ledger == null ? -1 : ledger.uncommittedPosition();
            if (position >= 0) {
                offsets.put(partition, new OffsetAndMetadata(position));
            }
        }
        acksSinceCommit = 0;
        if (offsets.isEmpty()) {
            return;
        }
        try {
            commitSync(offsets);
            offsets.forEach((partition, offset) -> {
                PartitionLedger ledger = ledgers.get(partition);
                if (ledger != null) {
                    ledger.committed(offset.offset());
                }
            });
            metrics.committed();
        } catch (RetriableException | CommitFailedException | RebalanceInProgressException notNow) {
            // At-least-once still holds: a retriable failure is retried at the next commit, and after a lost
            // generation the records are redelivered to the partition's next owner.
            LOG.warn("receiver {}: commit of {} failed, will retry or redeliver: {}", options.name(), offsets,
                    notNow.toString());
        }
    }

    private void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        try {
            consumer.commitSync(offsets);
        } catch (WakeupException lateWakeup) {
            // A wake-up meant for a poll that had already returned; the flag is now cleared.
            consumer.commitSync(offsets);
        }
    }

    private void reconcilePauses() {
        gate.update(inFlight, emitter.wantsMore());
        applyPauses();
    }

    private void applyPauses() {
        gate.apply(consumer);
        Set<TopicPartition> assigned = consumer.assignment();
        metrics.paused(gate.pausedForBackpressure(assigned), gate.pausedByUser(assigned));
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        processAcks();
        commit(partitions);
        forget(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        forget(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            long epoch = ++lastEpoch;
            ledgers.put(partition, new PartitionLedger(epoch));
            emitter.epochStarted(epoch);
        }
        // Pause state does not survive reassignment, and a fresh partition must not be fetched past the watermarks.
        applyPauses();
    }

    private void forget(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            PartitionLedger ledger = ledgers.remove(partition);
            if (ledger != null) {
                inFlight -= ledger.unacknowledged();
                emitter.epochEnded(ledger.epoch());
            }
        }
        metrics.inFlight(inFlight);
    }

    private void runTasks(KafkaConsumer<K, V> target) {
        Consumer<KafkaConsumer<K, V>> task;
        while ((task = tasks.poll()) != null) {
            task.accept(target);
        }
    }

    private void shutDown() {
        try {
            if (consumer != null) {
                consumer.close(options.closeTimeout());
            }
        } catch (RuntimeException closeFailure) {
            LOG.warn("receiver {}: consumer close failed: {}", options.name(), closeFailure.toString());
        } finally {
            exited = true;
            runTasks(null);
            onExit.run();
        }
    }

    private record Acknowledgement(TopicPartition partition, long offset, long epoch) {
    }
}
