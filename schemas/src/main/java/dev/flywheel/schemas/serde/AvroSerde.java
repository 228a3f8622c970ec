package dev.flywheel.schemas.serde;

import dev.flywheel.schemas.history.WriterSchemas;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/** A Kafka {@link Serde} for one generated message class, in Avro single-object encoding. */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

  private final Class<T> type;
  private final Schema schema;
  private final AvroSerializer<T> serializer;
  private final AvroDeserializer<T> deserializer;

  private AvroSerde(Class<T> type, WriterSchemas writers) {
    this.type = type;
    this.schema = SpecificData.getForClass(type).getSchema(type);
    this.serializer = new AvroSerializer<>(type);
    this.deserializer = new AvroDeserializer<>(type, writers);
  }

  /** A serde of {@code type} that reads every released version of its schema shipped in this jar. */
  public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
    return new AvroSerde<>(type, WriterSchemas.bundledFor(SpecificData.getForClass(type).getSchema(type)));
  }

  /** A serde of {@code type} that reads exactly the writer schemas in {@code writers}. */
  public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type, WriterSchemas writers) {
    return new AvroSerde<>(type, writers);
  }

  /** The generated class. */
  public Class<T> type() {
    return type;
  }

  /** The current schema, which the serializer writes. */
  public Schema schema() {
    return schema;
  }

  @Override
  public AvroSerializer<T> serializer() {
    return serializer;
  }

  @Override
  public AvroDeserializer<T> deserializer() {
    return deserializer;
  }
}
