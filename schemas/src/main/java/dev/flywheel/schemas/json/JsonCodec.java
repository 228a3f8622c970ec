package dev.flywheel.schemas.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.flywheel.schemas.serde.TrustedSchemaPackage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Reads and writes one message per JSON line, for {@code flywheel produce} and {@code consume}.
 *
 * <p>{@link #fromJson} accepts Avro's JSON encoding and the plain form described in schemas/README.md, and
 * returns only complete records that would encode; {@link #toJson} writes the plain form on one line.
 * Thread-safe.
 */
public final class JsonCodec<T extends SpecificRecord> {

  private static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .build();

  private final Class<T> type;
  private final Schema schema;
  private final SpecificData model;
  private final JsonToAvro reader;
  private final AvroToJson writer;

  private JsonCodec(Class<T> type, Clock clock) {
    TrustedSchemaPackage.ensureTrusted();
    this.type = type;
    this.model = SpecificData.getForClass(type);
    this.schema = model.getSchema(type);
    this.reader = new JsonToAvro(model, clock);
    this.writer = new AvroToJson(model);
  }

  /** A codec of {@code type}; an omitted top-level {@code ts} means now on the system clock. */
  public static <T extends SpecificRecord> JsonCodec<T> forType(Class<T> type) {
    return new JsonCodec<>(type, Clock.systemUTC());
  }

  /** A codec of {@code type} whose omitted top-level {@code ts} means now on {@code clock}. */
  public static <T extends SpecificRecord> JsonCodec<T> forType(Class<T> type, Clock clock) {
    return new JsonCodec<>(type, clock);
  }

  /** The message's current schema. */
  public Schema schema() {
    return schema;
  }

  /**
   * Parses one JSON object into a complete record.
   *
   * @throws JsonRecordException naming the field and what was expected, when the line is not a valid record
   */
  public T fromJson(String line) {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new JsonRecordException("", "not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (tree == null || tree.isMissingNode()) {
      throw new JsonRecordException("", "empty line; expected one JSON object (a " + schema.getName() + ")", null);
    }
    T record = type.cast(reader.readMessage(tree, schema));
    checkEncodes(record);
    return record;
  }

  /** The plain JSON form of {@code record}, on one line. */
  public String toJson(T record) {
    StringWriter text = new StringWriter();
    try (JsonGenerator out = MAPPER.getFactory().createGenerator(text)) {
      writer.write(out, record, schema);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + schema.getName() + " as JSON", e);
    }
    return text.toString();
  }

  // The binary writer is the final word on validity: a record it accepts is one the serde will send.
  private void checkEncodes(T record) {
    BinaryEncoder sink = EncoderFactory.get().directBinaryEncoder(OutputStream.nullOutputStream(), null);
    try {
      new SpecificDatumWriter<T>(schema, model).write(record, sink);
    } catch (IOException | RuntimeException e) {
      throw new JsonRecordException("", "not a complete " + schema.getName() + ": " + e.getMessage(), e);
    }
  }
}
