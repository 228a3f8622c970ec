package dev.flywheel.schemas.serde;

import dev.flywheel.schemas.history.WriterSchemas;
import dev.flywheel.schemas.serde.UndecodableRecordException.Reason;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Avro single-object encoding into the current generated class, resolving records written with any
 * released version of the schema (from {@link WriterSchemas}) into today's fields.
 *
 * <p>Thread-safe: Avro's {@link BinaryMessageDecoder} keeps its decoders per fingerprint in a concurrent
 * map and its header buffers and binary decoders in thread-locals; {@code AvroSerdeConcurrencyTest}
 * checks this.
 */
public final class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

  private static final int HEADER_LENGTH = 10;
  private static final byte MARKER_0 = (byte) 0xC3;
  private static final byte MARKER_1 = (byte) 0x01;

  private final String messageName;
  private final BinaryMessageDecoder<T> decoder;
  private final WriterSchemas writers;
  private final long readerFingerprint;

  /** A deserializer of {@code type} that accepts every writer schema in {@code writers}. */
  public AvroDeserializer(Class<T> type, WriterSchemas writers) {
    TrustedSchemaPackage.ensureTrusted();
    SpecificData model = SpecificData.getForClass(type);
    Schema schema = model.getSchema(type);
    this.messageName = schema.getName();
    this.writers = writers;
    this.readerFingerprint = SchemaNormalization.parsingFingerprint64(schema);
    this.decoder = new BinaryMessageDecoder<>(model, schema, writers);
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    long fingerprint = fingerprintOf(topic, data);
    try {
      return decoder.decode(data);
    } catch (MissingSchemaException e) {
      throw unknownSchema(topic, fingerprint, e);
    } catch (SecurityException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new UndecodableRecordException(messageName, Reason.CORRUPT_BODY,
          "body of " + data.length + " bytes does not match the writer schema " + describe(fingerprint) + ": " + e,
          topic, e);
    }
  }

  private long fingerprintOf(String topic, byte[] data) {
    if (data.length < HEADER_LENGTH || data[0] != MARKER_0 || data[1] != MARKER_1) {
      throw new UndecodableRecordException(messageName, Reason.NOT_SINGLE_OBJECT_ENCODING,
          "not Avro single-object encoding (expected marker C3 01 and an 8-byte schema fingerprint, got "
              + preview(data) + ")" + hint(data), topic, null);
    }
    long fingerprint = 0;
    for (int i = HEADER_LENGTH - 1; i >= 2; i--) {
      fingerprint = (fingerprint << 8) | (data[i] & 0xFF);
    }
    return fingerprint;
  }

  private UndecodableRecordException unknownSchema(String topic, long fingerprint, Exception cause) {
    return new UndecodableRecordException(messageName, Reason.UNKNOWN_SCHEMA,
        String.format("unknown schema fingerprint 0x%016x; this reader knows %d version(s) of %s. "
            + "The writer used a schema that is not released in schemas/src/main/avro/history: "
            + "upgrade this service, or produce with a released version", fingerprint,
            writers.fingerprints().size(), messageName), topic, cause);
  }

  private String describe(long fingerprint) {
    String which = fingerprint == readerFingerprint ? "current " : "older ";
    return which + messageName + String.format(" 0x%016x", fingerprint);
  }

  private static String preview(byte[] data) {
    if (data.length == 0) {
      return "0 bytes";
    }
    StringBuilder hex = new StringBuilder();
    for (int i = 0; i < Math.min(data.length, 8); i++) {
      hex.append(String.format("%02X ", data[i]));
    }
    return hex.toString().trim() + (data.length > 8 ? " ..." : "") + ", " + data.length + " bytes";
  }

  private static String hint(byte[] data) {
    if (data.length > 0 && (data[0] == '{' || data[0] == '[')) {
      return "; it looks like JSON: produce JSON lines with `flywheel produce`, which encodes them as Avro";
    }
    return "";
  }
}
