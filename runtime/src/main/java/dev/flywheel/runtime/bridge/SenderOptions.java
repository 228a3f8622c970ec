package dev.flywheel.runtime.bridge;

import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Immutable configuration of a {@link KafkaSender}.
 *
 * <p>The producer properties are handed to {@code KafkaProducer} as given; the only key added is
 * {@code enable.idempotence=true} when absent, and an explicit {@code false} is rejected, because retries without
 * idempotence duplicate records. Setting {@code transactional.id} makes the sender transactional.
 *
 * @param producerProperties Kafka producer properties, passed through untouched
 * @param keySerializer      key serializer
 * @param valueSerializer    value serializer
 * @param maxInFlight        records of one {@link KafkaSender#send(org.reactivestreams.Publisher)} awaiting acks
 * @param closeTimeout       how long closing the producer may take
 * @param name               the {@code sender} tag of this sender's metrics
 */
public record SenderOptions<K, V>(
        Properties producerProperties,
        Serializer<K> keySerializer,
        Serializer<V> valueSerializer,
        int maxInFlight,
        Duration closeTimeout,
        String name) {

    /** Validates every setting and names the fix when one is wrong. */
    public SenderOptions {
        Properties copy = new Properties();
        copy.putAll(Objects.requireNonNull(producerProperties, "producerProperties"));
        producerProperties = copy;
        Objects.requireNonNull(keySerializer, "keySerializer");
        Objects.requireNonNull(valueSerializer, "valueSerializer");
        Objects.requireNonNull(closeTimeout, "closeTimeout");
        Object idempotence = producerProperties.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG);
        if (idempotence != null && "false".equalsIgnoreCase(idempotence.toString().trim())) {
            throw new IllegalArgumentException("producer property enable.idempotence=false lets retries duplicate or "
                    + "reorder records; remove it (the sender always produces idempotently)");
        }
        producerProperties.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
        }
        if (name == null || name.isBlank()) {
            name = producerProperties.getProperty(ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                    producerProperties.getProperty(ProducerConfig.CLIENT_ID_CONFIG, "sender"));
        }
    }

    /** Starts options for a sender of the given producer properties and serializers. */
    public static <K, V> Builder<K, V> builder(Properties producerProperties, Serializer<K> keySerializer,
                                               Serializer<V> valueSerializer) {
        return new Builder<>(producerProperties, keySerializer, valueSerializer);
    }

    /** Starts options for a sender of raw bytes (dead letters, pre-encoded values). */
    public static Builder<byte[], byte[]> ofBytes(Properties producerProperties) {
        return builder(producerProperties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A defensive copy of the producer properties. */
    @Override
    public Properties producerProperties() {
        Properties copy = new Properties();
        copy.putAll(producerProperties);
        return copy;
    }

    /** The transactional id, or {@code null} for a plain idempotent sender. */
    public String transactionalId() {
        return producerProperties.getProperty(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    }

    /** Fluent builder of {@link SenderOptions}. */
    public static final class Builder<K, V> {
        private final Properties producerProperties;
        private final Serializer<K> keySerializer;
        private final Serializer<V> valueSerializer;
        private int maxInFlight = 1_024;
        private Duration closeTimeout = Duration.ofSeconds(30);
        private String name;

        private Builder(Properties producerProperties, Serializer<K> keySerializer, Serializer<V> valueSerializer) {
            this.producerProperties = new Properties();
            this.producerProperties.putAll(Objects.requireNonNull(producerProperties, "producerProperties"));
            this.keySerializer = keySerializer;
            this.valueSerializer = valueSerializer;
        }

        /** Makes the sender transactional with this {@code transactional.id}. */
        public Builder<K, V> transactionalId(String transactionalId) {
            producerProperties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
            return this;
        }

        /** Bounds the records of one {@code send(Publisher)} awaiting broker acknowledgement. */
        public Builder<K, V> maxInFlight(int records) {
            this.maxInFlight = records;
            return this;
        }

        /** Bounds closing the producer. */
        public Builder<K, V> closeTimeout(Duration timeout) {
            this.closeTimeout = timeout;
            return this;
        }

        /** Names this sender in its metrics' {@code sender} tag. */
        public Builder<K, V> name(String senderName) {
            this.name = senderName;
            return this;
        }

        /** Validates and builds the options. */
        public SenderOptions<K, V> build() {
            return new SenderOptions<>(producerProperties, keySerializer, valueSerializer, maxInFlight, closeTimeout, name);
        }
    }
}
