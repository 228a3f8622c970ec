package dev.flywheel.schemas.serde;

import dev.flywheel.schemas.history.WriterSchemas;
import dev.flywheel.schemas.serde.UndecodableRecordException.Reason;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Avro single-object encoding (C3 01, 8-byte little-endian CRC-64-AVRO fingerprint, binary body) into
 * the current generated class, resolving records written with any released version of the schema (from
 * {@link WriterSchemas}) into today's fields.
 *
 * <p>This does what Avro's {@code BinaryMessageDecoder} does, on the same wire format, but decodes the body
 * with the array-backed {@link BinaryDecoder}: Avro's class reads through an unbuffered stream decoder that
 * does not bound a length prefix by the bytes left, so one corrupt length made it allocate until
 * {@code OutOfMemoryError}; the array decoder rejects it, and is faster.
 *
 * <p>Thread-safe: datum readers are shared as in Avro's own decoder (they keep per-thread resolver state),
 * binary decoders are per thread; {@code AvroSerdeConcurrencyTest} checks this.
 */
public final class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

  private static final int HEADER_LENGTH = SingleObjectHeader.LENGTH;

  private final String messageName;
  private final SpecificData model;
  private final Schema readerSchema;
  private final long readerFingerprint;
  private final WriterSchemas writers;
  private final ConcurrentMap<Long, DatumReader<T>> readersByFingerprint = new ConcurrentHashMap<>();
  private final ThreadLocal<BinaryDecoder> decoders = new ThreadLocal<>();

  /** A deserializer of {@code type} that accepts every writer schema in {@code writers}. */
  public AvroDeserializer(Class<T> type, WriterSchemas writers) {
    TrustedSchemaPackage.ensureTrusted();
    this.model = SpecificData.getForClass(type);
    this.readerSchema = model.getSchema(type);
    this.messageName = readerSchema.getName();
    this.readerFingerprint = SchemaNormalization.parsingFingerprint64(readerSchema);
    this.writers = writers;
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    long fingerprint = fingerprintOf(topic, data);
    DatumReader<T> reader = readerFor(topic, fingerprint);
    BinaryDecoder decoder =
        DecoderFactory.get().binaryDecoder(data, HEADER_LENGTH, data.length - HEADER_LENGTH, decoders.get());
    decoders.set(decoder);
    T record;
    try {
      record = reader.read(null, decoder);
      if (!decoder.isEnd()) {
        throw new IOException("the body has bytes left over after the record");
      }
    } catch (IOException | RuntimeException e) {
      throw new UndecodableRecordException(messageName, Reason.CORRUPT_BODY,
          "body of " + (data.length - HEADER_LENGTH) + " bytes does not match the writer schema "
              + describe(fingerprint) + ": " + e, topic, e);
    }
    return record;
  }

  private long fingerprintOf(String topic, byte[] data) {
    return SingleObjectHeader.fingerprint(data).orElseThrow(() -> new UndecodableRecordException(messageName,
        Reason.NOT_SINGLE_OBJECT_ENCODING,
        "not Avro single-object encoding (expected marker C3 01 and an 8-byte schema fingerprint, got "
            + preview(data) + ")" + hint(data), topic, null));
  }

  private DatumReader<T> readerFor(String topic, long fingerprint) {
    DatumReader<T> reader = readersByFingerprint.get(fingerprint);
    if (reader != null) {
      return reader;
    }
    Schema writer = fingerprint == readerFingerprint ? readerSchema : writers.findByFingerprint(fingerprint);
    if (writer == null) {
      throw new UndecodableRecordException(messageName, Reason.UNKNOWN_SCHEMA,
          String.format("unknown schema fingerprint 0x%016x; this reader knows %d version(s) of %s. "
              + "The writer used a schema that is not released in schemas/src/main/avro/history: "
              + "upgrade this service, or produce with a released version", fingerprint,
              writers.fingerprints().size(), messageName), topic, null);
    }
    @SuppressWarnings("unchecked")
    DatumReader<T> created = (DatumReader<T>) model.createDatumReader(writer, readerSchema);
    DatumReader<T> raced = readersByFingerprint.putIfAbsent(fingerprint, created);
    return raced != null ? raced : created;
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
