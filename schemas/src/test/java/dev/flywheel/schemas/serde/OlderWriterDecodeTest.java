package dev.flywheel.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.flywheel.schemas.Prompt;
import dev.flywheel.schemas.history.WriterSchemas;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/** A record written by a service still on an older schema decodes into today's class with defaults filled in. */
class OlderWriterDecodeTest {

  private final Schema older = parse("older/Prompt-v0.avsc");

  @Test
  void decodesAnOlderVersionIntoTheCurrentClassWithDefaults() throws IOException {
    AvroSerde<Prompt> serde = AvroSerde.of(Prompt.class, WriterSchemas.bundledFor(Prompt.getClassSchema()).with(older));
    Prompt decoded = serde.deserializer().deserialize("fw.prompts", writtenByOlderService());
    assertThat(decoded.getId()).isEqualTo("p-old");
    assertThat(decoded.getText()).isEqualTo("What is 2 + 2?");
    assertThat(decoded.getTs()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_123L));
    assertThat(decoded.getTenant()).isEqualTo("default");
    assertThat(decoded.getMetadata()).isEmpty();
  }

  @Test
  void aReaderThatNeverSawTheOlderVersionSaysSo() throws IOException {
    byte[] bytes = writtenByOlderService();
    UndecodableRecordException e = catchThrowableOfType(UndecodableRecordException.class,
        () -> AvroSerdes.prompt().deserializer().deserialize("fw.prompts", bytes));
    assertThat(e.reason()).isEqualTo(UndecodableRecordException.Reason.UNKNOWN_SCHEMA);
  }

  private byte[] writtenByOlderService() throws IOException {
    GenericRecord record = new GenericData.Record(older);
    record.put("id", "p-old");
    record.put("ts", 1_700_000_000_123L);
    record.put("text", "What is 2 + 2?");
    ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), older).encode(record);
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }

  private static Schema parse(String resource) {
    try (InputStream in = OlderWriterDecodeTest.class.getClassLoader().getResourceAsStream(resource)) {
      return new Schema.Parser().parse(in);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
