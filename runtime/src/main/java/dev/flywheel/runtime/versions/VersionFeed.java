package dev.flywheel.runtime.versions;

import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.schemas.PolicyVersion;
import dev.flywheel.schemas.serde.AvroSerdes;
import dev.flywheel.schemas.serde.UndecodableRecordException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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
 * Reads the policy-version topic from its beginning, first up to its current end ({@link #catchUp}), then for ever
 * on its own thread ({@link #follow}).
 *
 * <p>It reads without a consumer group and commits nothing: every service that hot-swaps models (generator, scorer,
 * learner) must see the whole history on every start to know the newest version of each model, as a Kafka Streams
 * global table would. Undecodable records are logged and reported to {@code onUndecodable} (they are re-read on every
 * start, so writing them to the dead-letter topic would duplicate them).
 */
public final class VersionFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VersionFeed.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final String threadName;
    private final Deserializer<PolicyVersion> values = AvroSerdes.policyVersion().deserializer();
    private final Consumer<String> onUndecodable;
    private volatile boolean closing;
    private Thread thread;

    private VersionFeed(Properties consumerProperties, String topic, String threadName, Consumer<String> onUndecodable) {
        this.consumer = new KafkaConsumer<>(consumerProperties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
        this.threadName = threadName;
        this.onUndecodable = onUndecodable;
    }

    /**
     * A feed of every model's versions on {@code topic} (committed records only), following on a thread named
     * {@code threadName}; {@code onUndecodable} hears where each undecodable record is.
     */
    public static VersionFeed of(KafkaSettings kafka, String topic, String threadName, Consumer<String> onUndecodable) {
        Properties props = kafka.clientProperties(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
        return new VersionFeed(props, topic, threadName, onUndecodable);
    }

    /** Every version published so far, in log order; call once, before {@link #follow}. */
    public List<PolicyVersion> catchUp(Duration timeout) {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
        if (partitions == null || partitions.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist: create Flywheel's topics with "
                    + "'flywheel topics create' (or check --prefix)");
        }
        List<TopicPartition> all = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(all);
        consumer.seekToBeginning(all);
        Map<TopicPartition, Long> end = consumer.endOffsets(all, timeout);
        List<PolicyVersion> versions = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!all.stream().allMatch(tp -> consumer.position(tp, timeout) >= end.get(tp))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + topic + " up to " + end + " within " + timeout);
            }
            consumer.poll(POLL).forEach(record -> decode(record, versions::add));
        }
        return versions;
    }

    /** Hands every later version to {@code sink} on a daemon thread until {@link #close()}. */
    public void follow(Consumer<PolicyVersion> sink) {
        thread = new Thread(() -> run(sink), threadName);
        thread.setDaemon(true);
        thread.start();
    }

    private void run(Consumer<PolicyVersion> sink) {
        try {
            while (!closing) {
                consumer.poll(POLL).forEach(record -> decode(record, sink));
            }
        } catch (WakeupException closed) {
            // close() woke the poll: fall through and close the consumer on this thread.
        } catch (RuntimeException e) {
            LOG.error("version feed on {} stopped: {}; the models in use stay", topic, e.toString());
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private void decode(ConsumerRecord<byte[], byte[]> record, Consumer<PolicyVersion> sink) {
        try {
            PolicyVersion version = values.deserialize(record.topic(), record.value());
            if (version != null) {
                sink.accept(version);
            }
        } catch (UndecodableRecordException e) {
            String where = e.at(record.topic(), record.partition(), record.offset()).getMessage();
            LOG.error("skipping undecodable model version: {}", where);
            onUndecodable.accept(where);
        }
    }

    /** Stops following and closes the consumer (on its thread when following). */
    @Override
    public void close() {
        closing = true;
        if (thread == null) {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            return;
        }
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
