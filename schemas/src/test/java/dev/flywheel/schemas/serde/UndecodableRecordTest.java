package dev.flywheel.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.flywheel.schemas.MessageFixtures;
import dev.flywheel.schemas.Prompt;
import dev.flywheel.schemas.Rollout;
import dev.flywheel.schemas.serde.UndecodableRecordException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class UndecodableRecordTest {

  private final AvroDeserializer<Prompt> prompts = AvroSerdes.prompt().deserializer();

  @Test
  void rejectsBytesWithoutTheSingleObjectMarker() {
    byte[] garbage = new byte[64];
    new Random(42).nextBytes(garbage);
    garbage[0] = 0x11;
    UndecodableRecordException e = decodeFailure(garbage);
    assertThat(e.reason()).isEqualTo(Reason.NOT_SINGLE_OBJECT_ENCODING);
    assertThat(e).isInstanceOf(SerializationException.class)
        .hasMessageStartingWith("cannot decode Prompt from topic 'fw.prompts': not Avro single-object encoding")
        .hasMessageContaining("got 11 ");
  }

  @Test
  void saysWhenTheBytesLookLikeJson() {
    UndecodableRecordException e = decodeFailure("{\"id\":\"p-1\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(e.reason()).isEqualTo(Reason.NOT_SINGLE_OBJECT_ENCODING);
    assertThat(e).hasMessageContaining("looks like JSON").hasMessageContaining("flywheel produce");
  }

  @Test
  void rejectsEmptyAndTooShortValues() {
    assertThat(decodeFailure(new byte[0]).reason()).isEqualTo(Reason.NOT_SINGLE_OBJECT_ENCODING);
    assertThat(decodeFailure(new byte[] {(byte) 0xC3, 0x01, 1, 2}).reason())
        .isEqualTo(Reason.NOT_SINGLE_OBJECT_ENCODING);
  }

  @Test
  void rejectsAFingerprintThatIsNoReleasedVersionOfTheMessage() {
    // A rollout on the prompts topic: a valid record, but of a schema the Prompt reader has never released.
    byte[] rollout = AvroSerdes.rollout().serializer().serialize("fw.rollouts", MessageFixtures.rollout(1));
    UndecodableRecordException e = decodeFailure(rollout);
    assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_SCHEMA);
    assertThat(e).hasMessageContaining("unknown schema fingerprint 0x2e553e2251469fd9")
        .hasMessageContaining("knows 1 version(s) of Prompt");
  }

  @Test
  void rejectsATruncatedBodyWithTheWriterSchemaNamed() {
    byte[] whole = AvroSerdes.prompt().serializer().serialize("fw.prompts", MessageFixtures.prompt(1));
    UndecodableRecordException e = decodeFailure(Arrays.copyOf(whole, 20));
    assertThat(e.reason()).isEqualTo(Reason.CORRUPT_BODY);
    assertThat(e).hasMessageContaining("body of 10 bytes does not match the writer schema current Prompt");
  }

  @Test
  void rejectsACorruptLengthPrefixWithoutAllocatingWhatItClaims() {
    byte[] bytes = Arrays.copyOf(
        AvroSerdes.prompt().serializer().serialize("fw.prompts", MessageFixtures.prompt(1)), 16);
    // The id's length prefix claims 1,000,000,000 bytes (zig-zag varint); only 1 byte follows it.
    byte[] claim = {(byte) 0x80, (byte) 0xA8, (byte) 0xD6, (byte) 0xB9, 0x07};
    System.arraycopy(claim, 0, bytes, 10, claim.length);
    UndecodableRecordException e = decodeFailure(bytes);
    assertThat(e.reason()).isEqualTo(Reason.CORRUPT_BODY);
    assertThat(e).hasMessageContaining("Attempted to read 1000000000 bytes, but only 1 bytes are available");
  }

  @Test
  void rejectsBytesLeftOverAfterTheRecord() {
    byte[] whole = AvroSerdes.prompt().serializer().serialize("fw.prompts", MessageFixtures.prompt(1));
    UndecodableRecordException e = decodeFailure(Arrays.copyOf(whole, whole.length + 3));
    assertThat(e.reason()).isEqualTo(Reason.CORRUPT_BODY);
    assertThat(e).hasMessageContaining("bytes left over");
  }

  @Test
  void rejectsRandomBodiesBehindAValidHeaderWithoutAnyOtherExceptionType() {
    byte[] header = Arrays.copyOf(
        AvroSerdes.rollout().serializer().serialize("t", MessageFixtures.rollout(1)), 10);
    AvroDeserializer<Rollout> rollouts = AvroSerdes.rollout().deserializer();
    Random random = new Random(7);
    int rejected = 0;
    for (int i = 0; i < 500; i++) {
      byte[] bytes = Arrays.copyOf(header, 10 + random.nextInt(300));
      byte[] body = new byte[bytes.length - 10];
      random.nextBytes(body);
      System.arraycopy(body, 0, bytes, 10, body.length);
      try {
        rollouts.deserialize("fw.rollouts", bytes);
      } catch (UndecodableRecordException e) {
        assertThat(e.reason()).isEqualTo(Reason.CORRUPT_BODY);
        rejected++;
      }
    }
    assertThat(rejected).isGreaterThan(450);
  }

  @Test
  void callersThatKnowTheOffsetAddItToTheMessage() {
    UndecodableRecordException e = decodeFailure(new byte[] {1, 2, 3}).at(3, 42L);
    assertThat(e.partition()).hasValue(3);
    assertThat(e.offset()).hasValue(42L);
    assertThat(e.topic()).hasValue("fw.prompts");
    assertThat(e).hasMessageStartingWith("cannot decode Prompt from topic 'fw.prompts' partition 3 offset 42: ");
    assertThat(e.at("fw.other", 0, 7L)).hasMessageStartingWith("cannot decode Prompt from topic 'fw.other' partition 0 offset 7: ");
  }

  private UndecodableRecordException decodeFailure(byte[] bytes) {
    return catchThrowableOfType(UndecodableRecordException.class, () -> prompts.deserialize("fw.prompts", bytes));
  }
}
