package dev.flywheel.runtime.bridge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A reactive, idempotent Kafka producer, plain or transactional.
 *
 * <p>All producer calls run on one dedicated thread, one task at a time, so a transaction (begin, sends, offsets,
 * commit) never interleaves with another call. Results complete on the producer's network thread: move heavy work
 * elsewhere with {@code publishOn}.
 *
 * <p>A transactional sender ({@code transactional.id} set) only offers {@link #sendTransactionally}; a plain one
 * only {@link #send(ProducerRecord)} and {@link #send(Publisher)}. A failed transaction is aborted; one failed by
 * fencing (another producer took over the transactional id) or by another fatal producer error closes the
 * producer, and every later call fails naming the cause.
 *
 * <p>The producer's own {@code kafka.producer.*} metrics (tagged {@code client.id}) are bound to the registry until
 * the sender closes.
 */
public final class KafkaSender<K, V> implements AutoCloseable {
    /** Counter of records the broker acknowledged, tagged {@code sender}. */
    public static final String METRIC_SENT = "flywheel.sender.records.sent";
    /** Counter of transactions, tagged {@code sender} and {@code outcome} (committed, aborted). */
    public static final String METRIC_TRANSACTIONS = "flywheel.sender.transactions";
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSender.class);

    private final SenderOptions<K, V> options;
    private final ExecutorService executor;
    private final Scheduler producerThread;
    private final KafkaProducer<K, V> producer;
    private final boolean transactional;
    private final Counter sent;
    private final Counter committed;
    private final Counter aborted;
    private final KafkaClientMetrics clientMetrics;
    private boolean transactionsInitialized;
    private volatile RuntimeException fatal;
    private final AtomicBoolean closeRequested = new AtomicBoolean();
    private volatile boolean closed;

    private KafkaSender(SenderOptions<K, V> options, MeterRegistry registry) {
        this.options = Objects.requireNonNull(options, "options");
        this.transactional = options.transactionalId() != null;
        this.executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "fw-sender-" + options.name());
            thread.setDaemon(true);
            return thread;
        });
        this.producerThread = Schedulers.fromExecutorService(executor, "fw-sender-" + options.name());
        this.producer = new KafkaProducer<>(options.producerProperties(), options.keySerializer(), options.valueSerializer());
        this.sent = Counter.builder(METRIC_SENT).tag("sender", options.name()).description("records acknowledged by the broker")
                .register(registry);
        this.committed = Counter.builder(METRIC_TRANSACTIONS).tags("sender", options.name(), "outcome", "committed")
                .register(registry);
        this.aborted = Counter.builder(METRIC_TRANSACTIONS).tags("sender", options.name(), "outcome", "aborted")
                .register(registry);
        this.clientMetrics = new KafkaClientMetrics(producer);
        clientMetrics.bindTo(registry);
    }

    /** Creates a sender and its producer. */
    public static <K, V> KafkaSender<K, V> create(SenderOptions<K, V> options, MeterRegistry registry) {
        return new KafkaSender<>(options, registry);
    }

    /** Sends one record; completes when the broker has acknowledged it. */
    public Mono<RecordMetadata> send(ProducerRecord<K, V> record) {
        Objects.requireNonNull(record, "record");
        if (transactional) {
            return Mono.error(new IllegalStateException("sender " + options.name() + " is transactional: use "
                    + "sendTransactionally(...), or create a sender without transactional.id for plain sends"));
        }
        if (closeRequested.get()) {
            return Mono.error(new IllegalStateException("sender " + options.name() + " is closed"));
        }
        return Mono.<RecordMetadata>create(sink -> {
            ensureUsable();
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    sent.increment();
                    sink.success(metadata);
                } else {
                    sink.error(error);
                }
            });
        }).subscribeOn(producerThread);
    }

    /**
     * Sends records as they come, at most {@code maxInFlight} awaiting acknowledgement (so a fast publisher is
     * held back), emitting their metadata in input order; the first failure ends the flux.
     */
    public Flux<RecordMetadata> send(Publisher<ProducerRecord<K, V>> records) {
        return Flux.from(records).flatMapSequential(this::send, options.maxInFlight(), 1);
    }

    /**
     * In one transaction: sends {@code records} and commits the consumer {@code offsets} for {@code group}
     * (from {@link KafkaReceiver#groupMetadata()}); either all of it becomes visible to read_committed consumers
     * or, after an abort, none of it. Completes once committed.
     */
    public Mono<Void> sendTransactionally(List<ProducerRecord<K, V>> records,
                                          Map<TopicPartition, OffsetAndMetadata> offsets,
                                          ConsumerGroupMetadata group) {
        Objects.requireNonNull(records, "records");
        Objects.requireNonNull(offsets, "offsets");
        if (!transactional) {
            return Mono.error(new IllegalStateException("sender " + options.name() + " has no transactional.id: set "
                    + "SenderOptions.Builder.transactionalId(...) to send transactionally"));
        }
        if (!offsets.isEmpty() && group == null) {
            return Mono.error(new IllegalArgumentException("offsets given without the consumer's group metadata: pass "
                    + "KafkaReceiver.groupMetadata()"));
        }
        if (closeRequested.get()) {
            return Mono.error(new IllegalStateException("sender " + options.name() + " is closed"));
        }
        List<ProducerRecord<K, V>> batch = List.copyOf(records);
        Map<TopicPartition, OffsetAndMetadata> consumed = Map.copyOf(offsets);
        return Mono.<Void>fromRunnable(() -> runTransaction(batch, consumed, group)).subscribeOn(producerThread);
    }

    private void runTransaction(List<ProducerRecord<K, V>> records, Map<TopicPartition, OffsetAndMetadata> offsets,
                                ConsumerGroupMetadata group) {
        ensureUsable();
        try {
            if (!transactionsInitialized) {
                producer.initTransactions();
                transactionsInitialized = true;
            }
            producer.beginTransaction();
        } catch (KafkaException e) {
            throw failFatally(e);
        }
        try {
            for (ProducerRecord<K, V> record : records) {
                producer.send(record);
            }
            if (!offsets.isEmpty()) {
                producer.sendOffsetsToTransaction(offsets, group);
            }
            producer.commitTransaction();
            sent.increment(records.size());
            committed.increment();
        } catch (RuntimeException e) {
            if (isFatal(e)) {
                throw failFatally(e);
            }
            abort(e);
            throw e;
        }
    }

    /** Errors after which the producer cannot go on (Kafka may wrap them, so the cause chain is searched). */
    private static boolean isFatal(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProducerFencedException || cause instanceof InvalidProducerEpochException
                    || cause instanceof OutOfOrderSequenceException || cause instanceof AuthorizationException
                    || cause instanceof UnsupportedVersionException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    private void abort(RuntimeException cause) {
        try {
            producer.abortTransaction();
            aborted.increment();
            LOG.warn("sender {}: transaction aborted: {}", options.name(), cause.toString());
        } catch (RuntimeException abortFailure) {
            cause.addSuppressed(abortFailure);
            failFatally(abortFailure);
        }
    }

    private RuntimeException failFatally(RuntimeException cause) {
        fatal = cause;
        LOG.error("sender {}: producer unusable, closing it: {}", options.name(), cause.toString());
        producer.close(Duration.ZERO);
        return cause;
    }

    private void ensureUsable() {
        if (closed) {
            throw new IllegalStateException("sender " + options.name() + " is closed");
        }
        RuntimeException cause = fatal;
        if (cause != null) {
            throw new IllegalStateException("sender " + options.name() + " was closed after a fatal producer error ("
                    + cause + "); create a new KafkaSender", cause);
        }
    }

    /** Flushes and closes the producer on its thread, then stops the thread. */
    @Override
    public void close() {
        if (!closeRequested.compareAndSet(false, true)) {
            return;
        }
        executor.execute(() -> {
            closed = true;
            if (fatal == null) {
                producer.close(options.closeTimeout());
            }
        });
        executor.shutdown();
        try {
            if (!executor.awaitTermination(options.closeTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
                LOG.warn("sender {}: producer thread still busy after close timeout", options.name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producerThread.dispose();
        clientMetrics.close();
    }
}
