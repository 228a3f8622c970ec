package dev.flywheel.schemas.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
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
 * <p>Thread-safe: Avro's {@link BinaryMessageEncoder} keeps its scratch buffer and binary encoder in
 * thread-locals and its datum writer holds no per-call state, so one instance serves every thread.
 */
public final class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {

  private final String messageName;
  private final BinaryMessageEncoder<T> encoder;

  /** A serializer writing records of {@code type} with its current (generated) schema. */
  public AvroSerializer(Class<T> type) {
    SpecificData model = SpecificData.getForClass(type);
    Schema schema = model.getSchema(type);
    this.messageName = schema.getName();
    // copyOutputBytes=true hands back an exact-size array we can give Kafka without another copy.
    this.encoder = new BinaryMessageEncoder<>(model, schema, true);
  }

  @Override
  public byte[] serialize(String topic, T data) {
    if (data == null) {
      return null;
    }
    try {
      return exactArray(encoder.encode(data));
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("cannot encode " + messageName + " for topic '" + topic + "': " + e
          + "; build records with " + messageName + ".newBuilder(), which checks that required fields are set", e);
    }
  }

  private static byte[] exactArray(ByteBuffer buffer) {
    if (buffer.hasArray() && buffer.arrayOffset() == 0 && buffer.position() == 0
        && buffer.remaining() == buffer.array().length) {
      return buffer.array();
    }
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }
}
