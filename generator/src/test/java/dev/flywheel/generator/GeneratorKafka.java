package dev.flywheel.generator;

import dev.flywheel.runtime.topics.Topics;
import dev.flywheel.schemas.PolicyVersion;
import dev.flywheel.schemas.Prompt;
import dev.flywheel.schemas.Rollout;
import dev.flywheel.schemas.serde.AvroSerdes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The generator's topics on a test broker: producing prompts and versions, reading what the generator wrote. */
final class GeneratorKafka implements AutoCloseable {
    private final String bootstrapServers;
    private final Topics topics;
    private final Admin admin;

    GeneratorKafka(String bootstrapServers, Topics topics) {
        this.bootstrapServers = bootstrapServers;
        this.topics = topics;
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        this.admin = Admin.create(props);
        topics.createAll(admin);
    }

    Topics topics() {
        return topics;
    }

    void producePrompts(List<Prompt> prompts) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (Prompt prompt : prompts) {
            records.add(new ProducerRecord<>(topics.prompts().name(), bytes(prompt.getId()),
                    AvroSerdes.prompt().serializer().serialize(topics.prompts().name(), prompt)));
        }
        produce(records);
    }

    void publish(PolicyVersion version) {
        String topic = topics.policyVersions().name();
        produce(List.of(new ProducerRecord<>(topic, bytes(version.getModel()),
                AvroSerdes.policyVersion().serializer().serialize(topic, version))));
    }

    void produce(List<ProducerRecord<byte[], byte[]>> records) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            List<Future<?>> sent = new ArrayList<>();
            records.forEach(record -> sent.add(producer.send(record)));
            producer.flush();
            for (Future<?> future : sent) {
                get(future);
            }
        }
    }

    /** Every rollout visible to a read_committed consumer, in partition then offset order. */
    List<Rollout> committedRollouts() {
        String topic = topics.rollouts().name();
        return readCommitted(topic).stream()
                .map(record -> AvroSerdes.rollout().deserializer().deserialize(topic, record.value())).toList();
    }

    /** Records of {@code topic} visible to read_committed once every transaction on it is decided. */
    List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> all = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(all);
            consumer.seekToBeginning(all);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            // For read_committed, endOffsets is the last stable offset: wait until no transaction is open.
            Map<TopicPartition, Long> stable = consumer.endOffsets(all, Duration.ofSeconds(30));
            while (!stable.equals(endOffsets(topic))) {
                check(deadline, topic + " still has an open transaction");
                sleep(50);
                stable = consumer.endOffsets(all, Duration.ofSeconds(30));
            }
            Map<TopicPartition, Long> end = stable;
            while (!all.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp))) {
                check(deadline, "could not read " + topic + " up to " + end);
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        out.sort(Comparator.comparingInt((ConsumerRecord<byte[], byte[]> r) -> r.partition())
                .thenComparingLong(ConsumerRecord::offset));
        return out;
    }

    /** Whether a transaction on {@code topic} is still open: its last stable offset trails its log end somewhere. */
    boolean transactionOpen(String topic) {
        Map<TopicPartition, Long> end = endOffsets(topic);
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        end.keySet().forEach(tp -> request.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, Long> stable = new HashMap<>();
        get(admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all())
                .forEach((tp, info) -> stable.put(tp, info.offset()));
        return !stable.equals(end);
    }

    /** Rollouts per prompt id. */
    static Map<String, List<Rollout>> byPrompt(List<Rollout> rollouts) {
        return rollouts.stream().collect(Collectors.groupingBy(Rollout::getPromptId));
    }

    Map<TopicPartition, Long> endOffsets(String topic) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic).partitions()
                .forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        Map<TopicPartition, Long> out = new HashMap<>();
        get(admin.listOffsets(request).all()).forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    /** The group's committed offsets (partitions without one absent). */
    Map<TopicPartition, Long> committedOffsets(String group) {
        Map<TopicPartition, OffsetAndMetadata> offsets = get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
        Map<TopicPartition, Long> out = new HashMap<>();
        offsets.forEach((tp, offset) -> {
            if (offset != null) {
                out.put(tp, offset.offset());
            }
        });
        return out;
    }

    /** Whether {@code group} has committed every prompt. */
    boolean consumedAllPrompts(String group) {
        Map<TopicPartition, Long> end = endOffsets(topics.prompts().name());
        Map<TopicPartition, Long> committed = committedOffsets(group);
        return end.entrySet().stream().allMatch(e -> e.getValue() == 0 || e.getValue().equals(committed.get(e.getKey())));
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void check(long deadline, String message) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException(message);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
