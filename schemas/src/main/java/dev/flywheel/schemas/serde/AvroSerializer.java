package dev.flywheel.schemas.serde;

import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a generated message as Avro single-object encoding: C3 01, the schema's 8-byte CRC-64-AVRO
 * fingerprint (little-endian), then the binary body.
 *
 * <p>Thread-safe: Avro's {@link BinaryMessageEncoder} keeps its binary encoder in a thread-local and its
 * datum writer holds no per-call state, and the output buffer here is per thread too.
 */
public final class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {

  private final String messageName;
  private final BinaryMessageEncoder<T> encoder;
  // Per thread, so one serializer serves all threads without locks; see ByteArraySink for why not Avro's own.
  private final ThreadLocal<ByteArraySink> sinks = ThreadLocal.withInitial(ByteArraySink::new);

  /** A serializer writing records of {@code type} with its current (generated) schema. */
  public AvroSerializer(Class<T> type) {
    SpecificData model = SpecificData.getForClass(type);
    Schema schema = model.getSchema(type);
    this.messageName = schema.getName();
    this.encoder = new BinaryMessageEncoder<>(model, schema);
  }

  @Override
  public byte[] serialize(String topic, T data) {
    if (data == null) {
      return null;
    }
    try {
      ByteArraySink sink = sinks.get().reset();
      encoder.encode(data, sink);
      return sink.toByteArray();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("cannot encode " + messageName + " for topic '" + topic + "': " + e
          + "; build records with " + messageName + ".newBuilder(), which checks that required fields are set", e);
    }
  }
}
