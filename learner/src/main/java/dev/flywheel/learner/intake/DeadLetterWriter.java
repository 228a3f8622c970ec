package dev.flywheel.learner.intake;

import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.runtime.deadletter.DeadLetters;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records the learner cannot train on to the dead-letter topic with their reason. The learner flushes it
 * before every checkpoint, so a dead-lettered record counts as absorbed only once its dead letter is on the broker.
 */
public final class DeadLetterWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterWriter.class);

    private final DeadLetters deadLetters;
    private final KafkaProducer<byte[], byte[]> producer;

    private DeadLetterWriter(DeadLetters deadLetters, KafkaProducer<byte[], byte[]> producer) {
        this.deadLetters = deadLetters;
        this.producer = producer;
    }

    /** A writer to {@code topic}, counting in {@code registry}. */
    public static DeadLetterWriter to(KafkaSettings kafka, String topic, MeterRegistry registry) {
        var props = kafka.clientProperties(Map.of(ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true));
        return new DeadLetterWriter(DeadLetters.to(topic, registry),
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer()));
    }

    /** Sends the dead letter of {@code failed}. */
    public void write(ConsumerRecord<byte[], byte[]> failed, Throwable reason) {
        LOG.warn("dead-lettering {}-{}@{}: {}", failed.topic(), failed.partition(), failed.offset(),
                reason.getMessage());
        ProducerRecord<byte[], byte[]> letter = deadLetters.deadLetterFor(failed, reason);
        producer.send(letter, (meta, error) -> {
            if (error == null) {
                deadLetters.countWritten(letter);
            } else {
                LOG.error("dead letter for {}-{}@{} could not be written: {}", failed.topic(), failed.partition(),
                        failed.offset(), error.toString());
            }
        });
    }

    /** Waits until every dead letter sent so far is on the broker. */
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
