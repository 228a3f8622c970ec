package dev.flywheel.schemas.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.schemas.MessageType;
import dev.flywheel.schemas.Messages;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaFormatter;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

/** Released schemas are frozen: the build fails when a current schema is not its newest released version. */
class SchemaHistoryTest {

  @Test
  void everyCurrentSchemaEqualsItsNewestReleasedVersion() {
    for (Map.Entry<String, Schema> current : SchemaFiles.current().entrySet()) {
      String name = current.getKey();
      SchemaHistory history = SchemaHistory.bundled(name);
      int next = history.versions().size() + 1;
      // toString compares everything, docs included, so the history file is an exact record of what shipped.
      assertThat(current.getValue().toString())
          .as("src/main/avro/%s.avsc differs from its newest released version history/%s/v%d.avsc. Released "
              + "schemas must not change. If this is a new version, check it is compatible and add it as "
              + "history/%s/v%d.avsc with this content:%n%s%n", name, name, next - 1, name, next,
              SchemaFormatter.format("json/pretty", current.getValue()))
          .isEqualTo(history.latest().toString());
    }
  }

  @Test
  void generatedClassesCarryTheCurrentSchema() {
    Map<String, Schema> current = SchemaFiles.current();
    for (MessageType<?> message : Messages.all()) {
      // Generated classes add Java-only properties (avro.java.string), so compare what the wire sees.
      assertThat(SchemaNormalization.toParsingForm(message.schema()))
          .as(message.name())
          .isEqualTo(SchemaNormalization.toParsingForm(current.get(message.name())));
    }
  }

  @Test
  void historyHasOneFolderPerMessageWithVersionsNumberedFromOneWithoutGaps() throws IOException {
    assertThat(SchemaFiles.historyFolders()).containsExactlyInAnyOrderElementsOf(Messages.names());
    for (String name : Messages.names()) {
      List<String> files = SchemaFiles.versionFiles(name);
      List<String> expected = IntStream.rangeClosed(1, files.size()).mapToObj(v -> "v" + v + ".avsc").toList();
      assertThat(files).as("history/%s", name).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(SchemaHistory.bundled(name).versions()).as("bundled %s", name).hasSize(files.size());
    }
  }

  @Test
  void namesTheMissingFileWhenAMessageHasNoHistory() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SchemaHistory.bundled("Nonexistent"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dev/flywheel/schemas/history/Nonexistent/v1.avsc");
  }
}
