package dev.flywheel.cli.demo;

import dev.flywheel.runtime.config.KafkaSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts the records written to the dead-letter topic after a mark: committed records only, read back one by one,
 * because transactional writes leave commit markers that an end-offset difference would count as letters.
 */
final class DeadLetterCount {
    private final KafkaSettings kafka;
    private final List<TopicPartition> partitions;
    private final Map<TopicPartition, Long> mark;

    private DeadLetterCount(KafkaSettings kafka, List<TopicPartition> partitions, Map<TopicPartition, Long> mark) {
        this.kafka = kafka;
        this.partitions = partitions;
        this.mark = mark;
    }

    /** Marks the current end of {@code topic}. */
    static DeadLetterCount from(KafkaSettings kafka, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(kafka)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return new DeadLetterCount(kafka, partitions, consumer.endOffsets(partitions, Duration.ofSeconds(30)));
        }
    }

    /** Records written since the mark. */
    long count() {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(kafka)) {
            consumer.assign(partitions);
            mark.forEach(consumer::seek);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long letters = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
                    && System.nanoTime() < deadline) {
                letters += consumer.poll(Duration.ofMillis(200)).count();
            }
            return letters;
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(KafkaSettings kafka) {
        return new KafkaConsumer<>(kafka.clientProperties(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
