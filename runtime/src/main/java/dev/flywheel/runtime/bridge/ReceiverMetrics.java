package dev.flywheel.runtime.bridge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * The Micrometer meters of one {@link KafkaReceiver}, all tagged {@code receiver=<name>}, plus the consumer's own
 * {@code kafka.consumer.*} metrics (tagged {@code client.id}) once it exists.
 */
final class ReceiverMetrics implements AutoCloseable {
    private static final String RECEIVED = KafkaReceiver.METRIC_RECEIVED;
    private static final String IN_FLIGHT = KafkaReceiver.METRIC_IN_FLIGHT;
    private static final String PAUSED = KafkaReceiver.METRIC_PAUSED;
    private static final String COMMITS = KafkaReceiver.METRIC_COMMITS;
    private static final String DISCARDED_ACKS = KafkaReceiver.METRIC_DISCARDED_ACKS;

    private final MeterRegistry registry;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger pausedForBackpressure = new AtomicInteger();
    private final AtomicInteger pausedByUser = new AtomicInteger();
    private final Counter received;
    private final Counter commits;
    private final Counter discardedAcks;
    private final List<Meter> meters;
    private KafkaClientMetrics clientMetrics;
    private boolean closed;

    ReceiverMetrics(MeterRegistry registry, String receiverName) {
        this.registry = registry;
        Tags tags = Tags.of("receiver", receiverName);
        if (registry.find(IN_FLIGHT).tags(tags).gauge() != null) {
            throw new IllegalStateException("a receiver named '" + receiverName + "' is already registered in this "
                    + "MeterRegistry; give each live receiver a distinct ReceiverOptions name(...)");
        }
        received = Counter.builder(RECEIVED).description("records returned by poll").tags(tags).register(registry);
        commits = Counter.builder(COMMITS).description("successful offset commits").tags(tags).register(registry);
        discardedAcks = Counter.builder(DISCARDED_ACKS)
                .description("acknowledgements that arrived after their partition was revoked; the records are redelivered")
                .tags(tags).register(registry);
        Gauge inFlightGauge = Gauge.builder(IN_FLIGHT, inFlight, AtomicInteger::get)
                .description("records polled and not yet acknowledged").tags(tags).strongReference(true).register(registry);
        Gauge backpressureGauge = Gauge.builder(PAUSED, pausedForBackpressure, AtomicInteger::get)
                .description("assigned partitions paused").tags(tags.and("reason", "backpressure"))
                .strongReference(true).register(registry);
        Gauge userGauge = Gauge.builder(PAUSED, pausedByUser, AtomicInteger::get)
                .description("assigned partitions paused").tags(tags.and("reason", "user"))
                .strongReference(true).register(registry);
        meters = List.of(received, commits, discardedAcks, inFlightGauge, backpressureGauge, userGauge);
    }

    /** Exposes the consumer's Kafka metrics until {@link #close()}; a no-op once closed. */
    synchronized void bindClient(Consumer<?, ?> consumer) {
        if (!closed && clientMetrics == null) {
            clientMetrics = new KafkaClientMetrics(consumer);
            clientMetrics.bindTo(registry);
        }
    }

    void received(int count) {
        received.increment(count);
    }

    void committed() {
        commits.increment();
    }

    void ackDiscarded() {
        discardedAcks.increment();
    }

    void inFlight(int count) {
        inFlight.set(count);
    }

    void paused(int forBackpressure, int byUser) {
        pausedForBackpressure.set(forBackpressure);
        pausedByUser.set(byUser);
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (clientMetrics != null) {
            clientMetrics.close();
            clientMetrics = null;
        }
        inFlight.set(0);
        paused(0, 0);
        meters.forEach(registry::remove);
    }
}
