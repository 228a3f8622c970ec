package dev.flywheel.monitor.dashboard;

import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.schemas.MetricPoint;
import dev.flywheel.schemas.serde.AvroSerdes;
import dev.flywheel.schemas.serde.UndecodableRecordException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads fw.metrics from its beginning for ever, on its own thread, and hands every point to the dashboard state.
 *
 * <p>Like the version feed it reads without a consumer group and commits nothing: the dashboard rebuilds its charts
 * from the retained history on every start. Undecodable records are logged and counted, not dead-lettered, because
 * they are re-read on every start (dead-lettering them would duplicate them each time).
 */
public final class MetricsFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsFeed.class);
    private static final Duration POLL = Duration.ofMillis(250);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<MetricPoint> values = AvroSerdes.metricPoint().deserializer();
    private final DashboardState state;
    private final Thread thread;
    private volatile boolean closing;
    private volatile String failure;

    private MetricsFeed(KafkaSettings kafka, String topic, DashboardState state) {
        this.consumer = new KafkaConsumer<>(kafka.clientProperties(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.state = state;
        this.thread = new Thread(() -> run(topic), "fw-monitor-metrics-feed");
        this.thread.setDaemon(true);
    }

    /**
     * Assigns every partition of {@code topic} from its beginning and starts following it.
     *
     * @throws IllegalStateException naming the topic when it does not exist
     */
    public static MetricsFeed start(KafkaSettings kafka, String topic, DashboardState state, Duration timeout) {
        MetricsFeed feed = new MetricsFeed(kafka, topic, state);
        try {
            feed.assign(topic, timeout);
        } catch (RuntimeException e) {
            feed.consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            throw e;
        }
        feed.thread.start();
        return feed;
    }

    private void assign(String topic, Duration timeout) {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
        if (partitions == null || partitions.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist: create Flywheel's topics with "
                    + "'flywheel topics create' (or check --topic-prefix)");
        }
        List<TopicPartition> all = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(all);
        consumer.seekToBeginning(all);
    }

    private void run(String topic) {
        try {
            while (!closing) {
                consumer.poll(POLL).forEach(this::decode);
            }
        } catch (WakeupException closed) {
            // close() woke the poll: fall through and close the consumer on this thread.
        } catch (RuntimeException e) {
            failure = e.toString();
            LOG.error("metrics feed on {} stopped: {}; the dashboard keeps what it read", topic, e.toString());
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private void decode(ConsumerRecord<byte[], byte[]> record) {
        try {
            MetricPoint point = values.deserialize(record.topic(), record.value());
            if (point != null) {
                state.accept(point);
            }
        } catch (UndecodableRecordException e) {
            LOG.warn("skipping undecodable metric point: {}", e.at(record.topic(), record.partition(), record.offset())
                    .getMessage());
            state.undecodable();
        }
    }

    /** Whether the feed thread is still reading. */
    public boolean running() {
        return thread.isAlive() && failure == null;
    }

    /** Why the feed stopped, if it failed. */
    public java.util.Optional<String> failure() {
        return java.util.Optional.ofNullable(failure);
    }

    /** Stops following and closes the consumer on its thread. */
    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
