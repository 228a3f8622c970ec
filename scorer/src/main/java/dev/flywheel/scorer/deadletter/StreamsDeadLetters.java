package dev.flywheel.scorer.deadletter;

import dev.flywheel.runtime.deadletter.DeadLetters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * What both handlers share: the dead-letter topic and meter registry from the Streams config, and building a dead
 * letter from the failed record's original bytes with the runtime's {@link DeadLetters}.
 */
public final class StreamsDeadLetters {

    /** Streams config key under which the scorer passes its {@link MeterRegistry} to the handlers. */
    public static final String REGISTRY_CONFIG = "flywheel.scorer.meter-registry";

    private final DeadLetters deadLetters;

    private StreamsDeadLetters(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    static StreamsDeadLetters from(Map<String, ?> configs) {
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        if (topic == null || topic.toString().isBlank()) {
            throw new IllegalArgumentException(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG
                    + " is not set: the scorer's error handlers need the dead-letter topic, e.g. fw.dead-letters");
        }
        Object registry = configs.get(REGISTRY_CONFIG);
        MeterRegistry meters = registry instanceof MeterRegistry given ? given : new SimpleMeterRegistry();
        return new StreamsDeadLetters(DeadLetters.to(topic.toString(), meters));
    }

    /** The dead letter for a record that failed, counted now (it is written with the transaction that resumes). */
    List<ProducerRecord<byte[], byte[]>> deadLetterFor(ConsumerRecord<byte[], byte[]> failed, Exception reason) {
        ProducerRecord<byte[], byte[]> deadLetter = deadLetters.deadLetterFor(failed, reason);
        deadLetters.countWritten(deadLetter);
        return List.of(deadLetter);
    }

    /** The failed source record as the handler context describes it, with its original bytes. */
    static ConsumerRecord<byte[], byte[]> sourceRecord(ErrorHandlerContext context) {
        byte[] key = context.sourceRawKey();
        byte[] value = context.sourceRawValue();
        return new ConsumerRecord<>(context.topic(), context.partition(), context.offset(), context.timestamp(),
                TimestampType.CREATE_TIME, key == null ? -1 : key.length, value == null ? -1 : value.length, key, value,
                context.headers(), Optional.empty());
    }
}
