package dev.flywheel.schemas.history;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * Checks that each version of a schema history can read, and be read by, every other version
 * (Confluent's FULL_TRANSITIVE), using Avro's own {@link SchemaCompatibility}.
 */
public final class FullTransitiveCompatibility {

  /** One direction in which two versions do not get along. */
  public record Incompatibility(String name, int readerVersion, int writerVersion, String description) {
    @Override
    public String toString() {
      return name + " v" + readerVersion + " cannot read data written with v" + writerVersion + ": " + description;
    }
  }

  private FullTransitiveCompatibility() {}

  /** Every incompatible (reader, writer) pair of the history's versions; empty when it is FULL_TRANSITIVE. */
  public static List<Incompatibility> check(SchemaHistory history) {
    List<Schema> versions = history.versions();
    List<Incompatibility> problems = new ArrayList<>();
    for (int newer = 1; newer < versions.size(); newer++) {
      for (int older = 0; older < newer; older++) {
        checkPair(history.name(), versions, newer, older, problems);
        checkPair(history.name(), versions, older, newer, problems);
      }
    }
    return problems;
  }

  private static void checkPair(String name, List<Schema> versions, int reader, int writer,
      List<Incompatibility> problems) {
    SchemaPairCompatibility result =
        SchemaCompatibility.checkReaderWriterCompatibility(versions.get(reader), versions.get(writer));
    if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
      problems.add(new Incompatibility(name, reader + 1, writer + 1, describe(result)));
    }
  }

  private static String describe(SchemaPairCompatibility result) {
    List<String> parts = new ArrayList<>();
    result.getResult().getIncompatibilities().forEach(i ->
        parts.add(i.getType() + " at " + i.getLocation() + " (" + i.getMessage() + ")"));
    return parts.isEmpty() ? result.getDescription() : String.join("; ", parts);
  }
}
