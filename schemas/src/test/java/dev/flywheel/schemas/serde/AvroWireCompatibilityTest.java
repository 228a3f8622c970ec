package dev.flywheel.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.schemas.MessageFixtures;
import dev.flywheel.schemas.PolicyVersion;
import dev.flywheel.schemas.Rollout;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Our serde and Avro's own single-object encoder and decoder read each other's bytes: one wire format. */
class AvroWireCompatibilityTest {

  @Test
  void avrosBinaryMessageDecoderReadsWhatTheSerdeWrites() throws Exception {
    Rollout rollout = MessageFixtures.rollout(4);
    TrustedSchemaPackage.ensureTrusted();
    byte[] ours = AvroSerdes.rollout().serializer().serialize("fw.rollouts", rollout);
    assertThat(Rollout.getDecoder().decode(ours)).isEqualTo(rollout);
  }

  @Test
  void theSerdeReadsWhatAvrosBinaryMessageEncoderWrites() throws Exception {
    PolicyVersion version = MessageFixtures.policyVersion(3);
    ByteBuffer theirs = version.toByteBuffer();
    byte[] bytes = new byte[theirs.remaining()];
    theirs.get(bytes);
    assertThat(bytes).isEqualTo(AvroSerdes.policyVersion().serializer().serialize("t", version));
    assertThat(AvroSerdes.policyVersion().deserializer().deserialize("fw.policy-versions", bytes)).isEqualTo(version);
  }
}
