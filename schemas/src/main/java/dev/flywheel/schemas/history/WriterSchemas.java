package dev.flywheel.schemas.history;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.SchemaStore;

/** An immutable {@link SchemaStore}: the writer schemas a decoder accepts, found by their 64-bit fingerprint. */
public final class WriterSchemas implements SchemaStore {

  private final Map<Long, Schema> byFingerprint;

  private WriterSchemas(Map<Long, Schema> byFingerprint) {
    this.byFingerprint = Map.copyOf(byFingerprint);
  }

  /** Every version of the given history. */
  public static WriterSchemas of(SchemaHistory history) {
    Map<Long, Schema> map = new HashMap<>();
    for (Schema schema : history.versions()) {
      map.put(SchemaNormalization.parsingFingerprint64(schema), schema);
    }
    return new WriterSchemas(map);
  }

  /** Every version shipped in this jar of the message named like {@code schema}. */
  public static WriterSchemas bundledFor(Schema schema) {
    return of(SchemaHistory.bundled(schema.getName()));
  }

  /** These schemas plus {@code another}, e.g. a writer version a test or a migration tool brings along. */
  public WriterSchemas with(Schema another) {
    Map<Long, Schema> map = new HashMap<>(byFingerprint);
    map.put(SchemaNormalization.parsingFingerprint64(another), another);
    return new WriterSchemas(map);
  }

  @Override
  public Schema findByFingerprint(long fingerprint) {
    return byFingerprint.get(fingerprint);
  }

  /** Fingerprints of every known writer schema. */
  public Set<Long> fingerprints() {
    return byFingerprint.keySet();
  }
}
