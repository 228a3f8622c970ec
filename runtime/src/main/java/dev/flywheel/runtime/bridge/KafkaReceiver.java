package dev.flywheel.runtime.bridge;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.common.TopicPartition;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A reactive Kafka consumer: a {@link Flux} of records that honours downstream demand, with at-least-once
 * delivery through {@linkplain ReceivedRecord#acknowledge() acknowledgements}.
 *
 * <p>One dedicated thread owns the {@code KafkaConsumer} and runs everything that touches it. The receiver pauses
 * every assigned partition while downstream has no outstanding demand, or while the in-flight count (see
 * {@link ReceiverOptions}) leaves no room for a full poll, resuming at the low watermark. Partitions paused with
 * {@link #pause(TopicPartition)} stay paused until {@link #resume(TopicPartition)}, whatever the backpressure says.
 *
 * <p>With {@link CommitStrategy#ACKNOWLEDGED} it commits, per partition, only the contiguous prefix of acknowledged
 * offsets: periodically, synchronously when partitions are revoked (then forgetting their in-flight records,
 * whose later acknowledgements are discarded), and on cancel. Non-retriable consumer errors end the flux with an
 * error; retriable ones are retried by polling again.
 *
 * <p>A receiver is subscribed once; to add consumers to a group create more receivers.
 */
public final class KafkaReceiver<K, V> {
    /** Counter of records returned by poll, tagged {@code receiver}. */
    public static final String METRIC_RECEIVED = "flywheel.receiver.records.received";
    /** Gauge of records polled and not yet acknowledged, tagged {@code receiver}. */
    public static final String METRIC_IN_FLIGHT = "flywheel.receiver.inflight";
    /** Gauge of paused assigned partitions, tagged {@code receiver} and {@code reason} (backpressure, user). */
    public static final String METRIC_PAUSED = "flywheel.receiver.paused.partitions";
    /** Counter of successful offset commits, tagged {@code receiver}. */
    public static final String METRIC_COMMITS = "flywheel.receiver.commits";
    /** Counter of acknowledgements discarded because their partition had been revoked, tagged {@code receiver}. */
    public static final String METRIC_DISCARDED_ACKS = "flywheel.receiver.acks.discarded";

    private final ReceiverOptions<K, V> options;
    private final MeterRegistry registry;
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private volatile ConsumerLoop<K, V> loop;

    private KafkaReceiver(ReceiverOptions<K, V> options, MeterRegistry registry) {
        this.options = Objects.requireNonNull(options, "options");
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Creates a receiver; nothing connects to Kafka until {@link #receive()} is subscribed. */
    public static <K, V> KafkaReceiver<K, V> create(ReceiverOptions<K, V> options, MeterRegistry registry) {
        return new KafkaReceiver<>(options, registry);
    }

    /** The options this receiver was created with. */
    public ReceiverOptions<K, V> options() {
        return options;
    }

    /**
     * The records; subscribing starts the consumer thread, cancelling commits what was acknowledged and closes the
     * consumer on that thread.
     */
    public Flux<ReceivedRecord<K, V>> receive() {
        return Flux.create(this::start, FluxSink.OverflowStrategy.ERROR);
    }

    /** Keeps {@code partition} paused until {@link #resume(TopicPartition)}, e.g. while a downstream system lags. */
    public void pause(TopicPartition partition) {
        runningLoop("pause").pause(partition);
    }

    /** Lifts a {@link #pause(TopicPartition)}; backpressure may still hold the partition paused. */
    public void resume(TopicPartition partition) {
        runningLoop("resume").resume(partition);
    }

    /**
     * The consumer's current group metadata, fetched on the consumer thread, to pass to
     * {@link KafkaSender#sendTransactionally} together with {@link ConsumedOffsets#after}.
     */
    public Mono<ConsumerGroupMetadata> groupMetadata() {
        return Mono.create(sink -> runningLoop("groupMetadata").submit(
                consumer -> sink.success(consumer.groupMetadata()),
                () -> sink.error(new IllegalStateException("receiver " + options.name()
                        + " is closed; its group metadata is gone"))));
    }

    private ConsumerLoop<K, V> runningLoop(String operation) {
        ConsumerLoop<K, V> current = loop;
        if (current == null) {
            throw new IllegalStateException(operation + " needs a running receiver: subscribe to receive() first");
        }
        return current;
    }

    private void start(FluxSink<ReceivedRecord<K, V>> sink) {
        if (!subscribed.compareAndSet(false, true)) {
            sink.error(new IllegalStateException("receiver " + options.name() + " was already subscribed; create "
                    + "another KafkaReceiver (same group id) to add a consumer"));
            return;
        }
        ReceiverMetrics metrics;
        try {
            metrics = new ReceiverMetrics(registry, options.name());
        } catch (IllegalStateException duplicateName) {
            sink.error(duplicateName);
            return;
        }
        Scheduler emitThread = Schedulers.newSingle("fw-receiver-emit-" + options.name(), true);
        RecordEmitter<K, V> emitter = new RecordEmitter<>(sink, emitThread);
        ConsumerLoop<K, V> consumerLoop = new ConsumerLoop<>(options, emitter, metrics, () -> {
            metrics.close();
            emitter.consumerExited();
        });
        loop = consumerLoop;
        sink.onRequest(n -> {
            emitter.request(n);
            consumerLoop.requested();
        });
        sink.onDispose(() -> {
            emitter.cancel();
            consumerLoop.close();
            // Unregister now, not when the consumer thread ends, so a replacement receiver may reuse the name.
            metrics.close();
        });
        Thread thread = new Thread(consumerLoop, "fw-receiver-" + options.name());
        thread.setDaemon(true);
        thread.start();
    }
}
