package dev.flywheel.schemas.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.schemas.Messages;
import java.util.List;
import java.util.Map;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

/**
 * The CRC-64-AVRO fingerprint of every released version, written down: it is what every record on the wire
 * carries, so a change to any of them is a change to the contract and must be deliberate.
 */
class GoldenFingerprintTest {

  /** Per message, the fingerprint of v1, v2, ...; append a line when a version is released. */
  private static final Map<String, List<Long>> RELEASED = Map.of(
      "Prompt", List.of(0x5bded18b0e6a1a47L),
      "Rollout", List.of(0x2e553e2251469fd9L),
      "Feedback", List.of(0xe045ff466b9d3135L),
      "ScoredRollout", List.of(0xab476ff18a779be3L),
      "PreferencePair", List.of(0x92aba521592d8c9eL),
      "PolicyVersion", List.of(0x106200297ba94323L),
      "MetricPoint", List.of(0x55ffdb5decbf4e69L));

  @Test
  void everyReleasedVersionKeepsItsFingerprint() {
    assertThat(RELEASED.keySet()).containsExactlyInAnyOrderElementsOf(Messages.names());
    RELEASED.forEach((name, golden) -> {
      List<Long> actual = SchemaHistory.bundled(name).versions().stream()
          .map(SchemaNormalization::parsingFingerprint64).toList();
      assertThat(hex(actual)).as("fingerprints of %s v1..vN", name).isEqualTo(hex(golden));
    });
  }

  @Test
  void currentSchemasWriteTheNewestReleasedFingerprint() {
    Messages.all().forEach(message -> {
      List<Long> golden = RELEASED.get(message.name());
      assertThat(hex(List.of(SchemaNormalization.parsingFingerprint64(message.schema()))))
          .as(message.name())
          .isEqualTo(hex(List.of(golden.get(golden.size() - 1))));
    });
  }

  private static List<String> hex(List<Long> fingerprints) {
    return fingerprints.stream().map(f -> String.format("0x%016x", f)).toList();
  }
}
