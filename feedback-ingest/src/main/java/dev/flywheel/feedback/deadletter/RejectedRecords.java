package dev.flywheel.feedback.deadletter;

import dev.flywheel.runtime.deadletter.DeadLetters;
import dev.flywheel.schemas.Feedback;
import dev.flywheel.schemas.serde.AvroSerdes;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Dead letters for feedback a processor refuses after decoding it, to forward to the dead-letter sink so that they
 * commit with the rest of the transaction. The value is the feedback encoded again with the current schema (a
 * processor no longer holds the original bytes; it decodes to an equal record).
 */
public final class RejectedRecords {
    private final DeadLetters deadLetters;
    private final Serializer<Feedback> serializer = AvroSerdes.feedback().serializer();

    /** Dead letters in runtime's format, counted in {@code deadLetters}' registry. */
    public RejectedRecords(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    /** The dead letter of {@code feedback}, read with {@code key} at {@code from}, refused for {@code why}. */
    public Record<byte[], byte[]> deadLetter(String key, Feedback feedback, SourceCoordinates from,
                                             RejectedFeedbackException why) {
        byte[] keyBytes = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        ConsumerRecord<byte[], byte[]> original = new ConsumerRecord<>(from.topic(), from.partition(), from.offset(),
                from.timestamp(), TimestampType.CREATE_TIME, ConsumerRecord.NULL_SIZE, ConsumerRecord.NULL_SIZE,
                keyBytes, serializer.serialize(from.topic(), feedback), new RecordHeaders(), Optional.empty());
        ProducerRecord<byte[], byte[]> letter = deadLetters.deadLetterFor(original, why);
        deadLetters.countWritten(letter);
        return new Record<>(letter.key(), letter.value(), from.timestamp(), letter.headers());
    }
}
