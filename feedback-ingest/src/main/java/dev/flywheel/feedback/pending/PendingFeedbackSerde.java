package dev.flywheel.feedback.pending;

import dev.flywheel.feedback.deadletter.SourceCoordinates;
import dev.flywheel.schemas.Feedback;
import dev.flywheel.schemas.serde.AvroSerdes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * State-store serde of {@link PendingFeedback}: the coordinates and wait fields in a fixed layout, then the
 * feedback in its Avro single-object encoding (so schema evolution of Feedback still applies).
 */
public final class PendingFeedbackSerde implements Serde<PendingFeedback> {
    private static final byte FORMAT = 1;
    private final Serde<Feedback> feedback = AvroSerdes.feedback();

    @Override
    public Serializer<PendingFeedback> serializer() {
        return (topic, pending) -> {
            if (pending == null) {
                return null;
            }
            byte[] sourceTopic = pending.origin().topic().getBytes(StandardCharsets.UTF_8);
            byte[] awaited = pending.awaitedId().getBytes(StandardCharsets.UTF_8);
            byte[] body = feedback.serializer().serialize(topic, pending.feedback());
            return ByteBuffer.allocate(1 + 4 + sourceTopic.length + 4 + 8 + 8 + 8 + 4 + awaited.length + body.length)
                    .put(FORMAT).putInt(sourceTopic.length).put(sourceTopic).putInt(pending.origin().partition())
                    .putLong(pending.origin().offset()).putLong(pending.origin().timestamp()).putLong(pending.sinceMs())
                    .putInt(awaited.length).put(awaited).put(body).array();
        };
    }

    @Override
    public Deserializer<PendingFeedback> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ByteBuffer in = ByteBuffer.wrap(bytes);
            if (in.get() != FORMAT) {
                throw new SerializationException("pending-feedback store entry has unknown format " + bytes[0]
                        + "; was the state directory written by a newer feedback-ingest?");
            }
            String sourceTopic = text(in);
            SourceCoordinates origin = new SourceCoordinates(sourceTopic, in.getInt(), in.getLong(), in.getLong());
            long since = in.getLong();
            String awaited = text(in);
            byte[] body = new byte[in.remaining()];
            in.get(body);
            return new PendingFeedback(feedback.deserializer().deserialize(topic, body), origin, since, awaited);
        };
    }

    private static String text(ByteBuffer in) {
        byte[] raw = new byte[in.getInt()];
        in.get(raw);
        return new String(raw, StandardCharsets.UTF_8);
    }
}
