package dev.flywheel.runtime.bridge;

import dev.flywheel.runtime.topics.TopicReadiness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The Kafka cluster a bridge scenario runs against, reached only through its bootstrap servers. */
public final class TestCluster implements AutoCloseable {
    private final String bootstrapServers;
    private final Admin admin;

    public TestCluster(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        this.admin = Admin.create(props);
    }

    /** A fresh name, so scenarios sharing a cluster never see each other's topics or groups. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public void createTopic(String name, int partitions) {
        try {
            admin.createTopics(List.of(new NewTopic(name, Optional.of(partitions), Optional.empty()))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + name, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        TopicReadiness.awaitLeaders(admin, List.of(name), Duration.ofSeconds(120));
    }

    /** Consumer properties for {@code group}, reading from the earliest offset. */
    public Properties consumerProperties(String group) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return props;
    }

    public Properties producerProperties() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
        return props;
    }

    /** Produces string records and waits for every acknowledgement; returns their metadata in order. */
    public List<RecordMetadata> produceStrings(List<ProducerRecord<String, String>> records) {
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(producerProperties(), new StringSerializer(), new StringSerializer())) {
            return sendAll(producer, records);
        }
    }

    /** Produces byte records and waits for every acknowledgement; returns their metadata in order. */
    public List<RecordMetadata> produceBytes(List<ProducerRecord<byte[], byte[]>> records) {
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(producerProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
            return sendAll(producer, records);
        }
    }

    private static <K, V> List<RecordMetadata> sendAll(KafkaProducer<K, V> producer, List<ProducerRecord<K, V>> records) {
        List<Future<RecordMetadata>> futures = new ArrayList<>(records.size());
        records.forEach(record -> futures.add(producer.send(record)));
        producer.flush();
        List<RecordMetadata> metadata = new ArrayList<>(records.size());
        for (Future<RecordMetadata> future : futures) {
            metadata.add(get(future));
        }
        return metadata;
    }

    /** The group's committed offsets; partitions without a commit are absent. */
    public Map<TopicPartition, Long> committedOffsets(String group) {
        Map<TopicPartition, OffsetAndMetadata> offsets =
                get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
        return offsets.entrySet().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    /** Each partition's log-end offset. */
    public Map<TopicPartition, Long> endOffsets(String topic, int partitions) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        return get(admin.listOffsets(request).all()).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    /** Every record of {@code topic} visible to a read_committed consumer, in partition then offset order. */
    public List<ConsumerRecord<String, String>> readCommittedStrings(String topic, int partitions) {
        return readCommitted(topic, partitions, new StringDeserializer(), new StringDeserializer());
    }

    /** Every record of {@code topic} visible to a read_committed consumer, as bytes. */
    public List<ConsumerRecord<byte[], byte[]>> readCommittedBytes(String topic, int partitions) {
        return readCommitted(topic, partitions, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private <K, V> List<ConsumerRecord<K, V>> readCommitted(String topic, int partitions,
                                                          Deserializer<K> keys,
                                                          Deserializer<V> values) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<K, V>> out = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(props, keys, values)) {
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                all.add(new TopicPartition(topic, p));
            }
            consumer.assign(all);
            consumer.seekToBeginning(all);
            // For read_committed, endOffsets is the last stable offset. Transaction markers are written after the
            // producer's commit returns, so wait until it reaches the log end: then every transaction is decided.
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            Map<TopicPartition, Long> logEnd = endOffsets(topic, partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(all, Duration.ofSeconds(60));
            while (!end.equals(logEnd)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(topic + " still has open transactions: stable " + end + ", end " + logEnd);
                }
                sleep(20);
                logEnd = endOffsets(topic, partitions);
                end = consumer.endOffsets(all, Duration.ofSeconds(60));
            }
            Map<TopicPartition, Long> stable = end;
            while (!all.stream().allMatch(tp -> consumer.position(tp) >= stable.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " up to " + end);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        out.sort(Comparator.comparingInt((ConsumerRecord<K, V> r) -> r.partition())
                .thenComparingLong(ConsumerRecord::offset));
        return out;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Set<String> topics() {
        return get(admin.listTopics().names());
    }

    private static <T> T get(Future<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(10));
    }
}
