package dev.flywheel.schemas.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.flywheel.schemas.Messages;
import dev.flywheel.schemas.history.FullTransitiveCompatibility.Incompatibility;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class FullTransitiveCompatibilityTest {

  @Test
  void everyReleasedHistoryIsFullTransitive() {
    for (String name : Messages.names()) {
      assertThat(FullTransitiveCompatibility.check(SchemaHistory.bundled(name))).as(name).isEmpty();
    }
  }

  @Test
  void addingAndRemovingDefaultedFieldsIsFullyCompatible() {
    Schema older = SchemaFiles.testResource("older/Prompt-v0.avsc");
    SchemaHistory history = SchemaHistory.of("Prompt", List.of(older, SchemaHistory.bundled("Prompt").latest()));
    assertThat(FullTransitiveCompatibility.check(history)).isEmpty();
  }

  @Test
  void catchesATypeChangeInBothDirections() {
    SchemaHistory history = SchemaHistory.bundled("Prompt")
        .plus(SchemaFiles.testResource("incompatible/Prompt-text-as-int.avsc"));
    List<Incompatibility> problems = FullTransitiveCompatibility.check(history);
    assertThat(problems).extracting(Incompatibility::readerVersion, Incompatibility::writerVersion)
        .containsExactlyInAnyOrder(tuple(2, 1), tuple(1, 2));
    assertThat(problems.get(0).toString()).contains("TYPE_MISMATCH").contains("/fields/3/type");
  }

  @Test
  void catchesANewRequiredFieldThatOnlyOldReadersCanHandle() {
    SchemaHistory history = SchemaHistory.bundled("Prompt")
        .plus(SchemaFiles.testResource("incompatible/Prompt-required-language.avsc"));
    List<Incompatibility> problems = FullTransitiveCompatibility.check(history);
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0).toString())
        .startsWith("Prompt v2 cannot read data written with v1: READER_FIELD_MISSING_DEFAULT_VALUE")
        .contains("language");
  }

  @Test
  void checksEveryEarlierVersionNotOnlyTheLastOne() {
    // v3 adds a field without a default: it cannot read v2 data, and the check also reports v1, two versions back.
    Schema v1 = SchemaHistory.bundled("Prompt").latest();
    Schema v2 = SchemaFiles.testResource("older/Prompt-v0.avsc");
    Schema v3 = SchemaFiles.testResource("incompatible/Prompt-required-language.avsc");
    List<Incompatibility> problems = FullTransitiveCompatibility.check(SchemaHistory.of("Prompt", List.of(v1, v2, v3)));
    assertThat(problems).extracting(Incompatibility::readerVersion, Incompatibility::writerVersion)
        .containsExactlyInAnyOrder(tuple(3, 1), tuple(3, 2));
  }
}
