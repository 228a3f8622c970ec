package dev.flywheel.cli.records;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flywheel.schemas.MessageType;
import dev.flywheel.schemas.Messages;
import dev.flywheel.schemas.serde.UndecodableRecordException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Turns one consumed record into a JSON line, or into an error that names topic, partition and offset.
 *
 * <p>The writer's fingerprint in the record's header says which message it is, so any Flywheel topic can be read
 * without being told its schema; bytes that are no Flywheel record are reported through the topic's own deserializer,
 * whose error says what is wrong with them.
 */
final class RecordPrinter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Optional<MessageType<?>> expected;
    private final boolean withMetadata;

    RecordPrinter(Optional<MessageType<?>> expected, boolean withMetadata) {
        this.expected = expected;
        this.withMetadata = withMetadata;
    }

    /** The JSON line of {@code record}; throws {@link UndecodableRecordException} located at its offset. */
    String print(ConsumerRecord<byte[], byte[]> record) {
        MessageType<?> message = Messages.ofEncoded(record.value()).or(() -> expected)
                .orElseThrow(() -> new UndecodableRecordException("record", UndecodableRecordException.Reason.NOT_SINGLE_OBJECT_ENCODING,
                        "not a Flywheel record (no known Avro single-object header)", record.topic(), null));
        String json;
        try {
            json = toJson(message, record);
        } catch (UndecodableRecordException e) {
            throw e.at(record.topic(), record.partition(), record.offset());
        }
        if (!withMetadata) {
            return json;
        }
        ObjectNode line = JSON.createObjectNode()
                .put("topic", record.topic())
                .put("partition", record.partition())
                .put("offset", record.offset())
                .put("timestamp", record.timestamp())
                .put("key", record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8))
                .put("message", message.name());
        try {
            line.set("value", JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the JSON codec wrote invalid JSON for " + message.name(), e);
        }
        return line.toString();
    }

    private static <T extends SpecificRecord> String toJson(MessageType<T> message, ConsumerRecord<byte[], byte[]> record) {
        Deserializer<T> deserializer = message.serde().deserializer();
        return message.json().toJson(deserializer.deserialize(record.topic(), record.value()));
    }
}
