package dev.flywheel.runtime.bridge;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Immutable configuration of a {@link KafkaReceiver}.
 *
 * <p>The consumer properties are handed to {@code KafkaConsumer} as given (this is how SASL/TLS settings reach
 * it); the only key the receiver adds is {@code enable.auto.commit=false} when absent, because the receiver
 * owns commits. {@code group.id} is required since the receiver subscribes.
 *
 * <p>In-flight records are those returned by {@code poll} and not yet acknowledged (whether still buffered in
 * the receiver or already handed downstream). The receiver only polls while a full poll
 * ({@code max.poll.records}) fits under {@code highWatermark}, so the in-flight count never exceeds it; once it
 * stops polling for that reason it resumes when in-flight falls to {@code lowWatermark}. Hence
 * {@code lowWatermark + max.poll.records <= highWatermark} is required.
 *
 * @param consumerProperties Kafka consumer properties, passed through untouched
 * @param keyDeserializer    key deserializer
 * @param valueDeserializer  value deserializer
 * @param topics             topics to subscribe to (empty when {@code pattern} is used)
 * @param pattern            topic pattern to subscribe to, or {@code null} when {@code topics} is used
 * @param highWatermark      in-flight count the receiver never exceeds
 * @param lowWatermark       in-flight count at which a receiver paused for backpressure resumes
 * @param commitInterval     how often acknowledged offsets are committed
 * @param commitBatchSize    commit early once this many acknowledgements are uncommitted
 * @param pollTimeout        longest a single {@code poll} blocks; bounds the latency of pause, resume and acks
 * @param closeTimeout       how long closing the consumer may take
 * @param commitStrategy     whether the receiver commits acknowledged offsets or a transaction does
 * @param name               the {@code receiver} tag of this receiver's metrics
 */
public record ReceiverOptions<K, V>(
        Properties consumerProperties,
        Deserializer<K> keyDeserializer,
        Deserializer<V> valueDeserializer,
        List<String> topics,
        Pattern pattern,
        int highWatermark,
        int lowWatermark,
        Duration commitInterval,
        int commitBatchSize,
        Duration pollTimeout,
        Duration closeTimeout,
        CommitStrategy commitStrategy,
        String name) {

    static final int KAFKA_DEFAULT_MAX_POLL_RECORDS = 500;

    /** Validates every setting and names the fix when one is wrong. */
    public ReceiverOptions {
        consumerProperties = copyOf(Objects.requireNonNull(consumerProperties, "consumerProperties"));
        Objects.requireNonNull(keyDeserializer, "keyDeserializer");
        Objects.requireNonNull(valueDeserializer, "valueDeserializer");
        topics = List.copyOf(Objects.requireNonNull(topics, "topics"));
        Objects.requireNonNull(commitInterval, "commitInterval");
        Objects.requireNonNull(pollTimeout, "pollTimeout");
        Objects.requireNonNull(closeTimeout, "closeTimeout");
        Objects.requireNonNull(commitStrategy, "commitStrategy");
        if (topics.isEmpty() == (pattern == null)) {
            throw new IllegalArgumentException(
                    "ReceiverOptions needs exactly one of topics or pattern: call subscribe(topics...) or subscribe(pattern)");
        }
        String groupId = consumerProperties.getProperty(ConsumerConfig.GROUP_ID_CONFIG);
        if (groupId == null || groupId.isBlank()) {
            throw new IllegalArgumentException("consumer property group.id is missing: the receiver subscribes, so set "
                    + "group.id (e.g. --kafka-property group.id=my-service)");
        }
        if ("true".equalsIgnoreCase(consumerProperties.getProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false").trim())) {
            throw new IllegalArgumentException("consumer property enable.auto.commit=true would commit records that were "
                    + "never acknowledged; remove it (the receiver commits acknowledged offsets itself)");
        }
        consumerProperties.putIfAbsent(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        int maxPollRecords = maxPollRecords(consumerProperties);
        if (lowWatermark < 0 || lowWatermark + maxPollRecords > highWatermark) {
            throw new IllegalArgumentException("watermarks must satisfy 0 <= low (" + lowWatermark + ") and low + "
                    + "max.poll.records (" + maxPollRecords + ") <= high (" + highWatermark + "): raise the high "
                    + "watermark or lower max.poll.records / the low watermark");
        }
        if (commitBatchSize < 1) {
            throw new IllegalArgumentException("commitBatchSize must be at least 1, was " + commitBatchSize);
        }
        if (commitInterval.isNegative() || commitInterval.isZero() || pollTimeout.isNegative() || pollTimeout.isZero()) {
            throw new IllegalArgumentException("commitInterval and pollTimeout must be positive, were "
                    + commitInterval + " and " + pollTimeout);
        }
        if (name == null || name.isBlank()) {
            name = groupId;
        }
    }

    /** Starts options for a receiver of the given consumer properties and deserializers. */
    public static <K, V> Builder<K, V> builder(Properties consumerProperties, Deserializer<K> keyDeserializer,
                                               Deserializer<V> valueDeserializer) {
        return new Builder<>(consumerProperties, keyDeserializer, valueDeserializer);
    }

    /** Starts options for a receiver of raw bytes, which decodes in its pipeline so bad records can be dead-lettered. */
    public static Builder<byte[], byte[]> ofBytes(Properties consumerProperties) {
        return builder(consumerProperties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The consumer's {@code max.poll.records}, Kafka's default when unset. */
    public int maxPollRecords() {
        return maxPollRecords(consumerProperties);
    }

    /** A defensive copy of the consumer properties. */
    @Override
    public Properties consumerProperties() {
        return copyOf(consumerProperties);
    }

    private static int maxPollRecords(Properties properties) {
        Object value = properties.get(ConsumerConfig.MAX_POLL_RECORDS_CONFIG);
        if (value == null) {
            return KAFKA_DEFAULT_MAX_POLL_RECORDS;
        }
        try {
            return Integer.parseInt(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("consumer property max.poll.records must be an integer, was '" + value + "'", e);
        }
    }

    private static Properties copyOf(Properties source) {
        Properties copy = new Properties();
        copy.putAll(source);
        return copy;
    }

    /** Fluent builder of {@link ReceiverOptions}; defaults suit a service consuming small records. */
    public static final class Builder<K, V> {
        private final Properties consumerProperties;
        private final Deserializer<K> keyDeserializer;
        private final Deserializer<V> valueDeserializer;
        private List<String> topics = List.of();
        private Pattern pattern;
        private int highWatermark = 2_000;
        private int lowWatermark = 1_000;
        private Duration commitInterval = Duration.ofSeconds(1);
        private int commitBatchSize = 1_000;
        private Duration pollTimeout = Duration.ofMillis(100);
        private Duration closeTimeout = Duration.ofSeconds(30);
        private CommitStrategy commitStrategy = CommitStrategy.ACKNOWLEDGED;
        private String name;

        private Builder(Properties consumerProperties, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
            this.consumerProperties = copyOf(Objects.requireNonNull(consumerProperties, "consumerProperties"));
            this.keyDeserializer = keyDeserializer;
            this.valueDeserializer = valueDeserializer;
        }

        /** Subscribes to these topics. */
        public Builder<K, V> subscribe(String... topicNames) {
            this.topics = List.of(topicNames);
            this.pattern = null;
            return this;
        }

        /** Subscribes to every topic matching this pattern. */
        public Builder<K, V> subscribe(Pattern topicPattern) {
            this.pattern = topicPattern;
            this.topics = List.of();
            return this;
        }

        /** Sets the in-flight high and low watermarks. */
        public Builder<K, V> watermarks(int high, int low) {
            this.highWatermark = high;
            this.lowWatermark = low;
            return this;
        }

        /** Commits acknowledged offsets at this interval. */
        public Builder<K, V> commitInterval(Duration interval) {
            this.commitInterval = interval;
            return this;
        }

        /** Commits early once this many acknowledgements are uncommitted. */
        public Builder<K, V> commitBatchSize(int size) {
            this.commitBatchSize = size;
            return this;
        }

        /** Bounds a single poll. */
        public Builder<K, V> pollTimeout(Duration timeout) {
            this.pollTimeout = timeout;
            return this;
        }

        /** Bounds closing the consumer. */
        public Builder<K, V> closeTimeout(Duration timeout) {
            this.closeTimeout = timeout;
            return this;
        }

        /** Leaves commits to producer transactions ({@link CommitStrategy#TRANSACTIONAL}). */
        public Builder<K, V> transactional() {
            this.commitStrategy = CommitStrategy.TRANSACTIONAL;
            return this;
        }

        /** Names this receiver in its metrics' {@code receiver} tag (default: the group id). */
        public Builder<K, V> name(String receiverName) {
            this.name = receiverName;
            return this;
        }

        /** Validates and builds the options. */
        public ReceiverOptions<K, V> build() {
            return new ReceiverOptions<>(consumerProperties, keyDeserializer, valueDeserializer, topics, pattern,
                    highWatermark, lowWatermark, commitInterval, commitBatchSize, pollTimeout, closeTimeout,
                    commitStrategy, name);
        }
    }
}
