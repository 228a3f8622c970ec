package dev.flywheel.schemas;

import dev.flywheel.schemas.json.JsonCodec;
import dev.flywheel.schemas.serde.AvroSerde;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * Everything a tool needs to handle one message without knowing its class: name, generated class, current
 * schema, Kafka serde and JSON codec.
 */
public record MessageType<T extends SpecificRecord>(
    String name, Class<T> type, Schema schema, AvroSerde<T> serde, JsonCodec<T> json) {

  static <T extends SpecificRecord> MessageType<T> of(Class<T> type) {
    AvroSerde<T> serde = AvroSerde.of(type);
    return new MessageType<>(serde.schema().getName(), type, serde.schema(), serde, JsonCodec.forType(type));
  }
}
