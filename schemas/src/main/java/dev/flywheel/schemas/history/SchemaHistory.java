package dev.flywheel.schemas.history;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;

/**
 * Every released version of one message schema, oldest first, read from {@code history/<Name>/v<N>.avsc}.
 *
 * <p>Versions are numbered from 1 without gaps; loading stops at the first missing number, which is why a
 * test checks the folder on disk has no gaps. Each file is self-contained (named types it uses are
 * defined inline), so any version can be parsed on its own.
 */
public final class SchemaHistory {

  /** Classpath folder the build copies {@code src/main/avro/history} into. */
  public static final String BUNDLED_ROOT = "dev/flywheel/schemas/history";

  private final String name;
  private final List<Schema> versions;

  private SchemaHistory(String name, List<Schema> versions) {
    this.name = name;
    this.versions = List.copyOf(versions);
  }

  /** The versions of message {@code name} shipped in this jar. */
  public static SchemaHistory bundled(String name) {
    return load(SchemaHistory.class.getClassLoader(), BUNDLED_ROOT, name);
  }

  /** The versions of message {@code name} under {@code root} on the given class loader's classpath. */
  public static SchemaHistory load(ClassLoader loader, String root, String name) {
    List<Schema> versions = new ArrayList<>();
    for (int v = 1; ; v++) {
      String path = root + "/" + name + "/v" + v + ".avsc";
      try (InputStream in = loader.getResourceAsStream(path)) {
        if (in == null) {
          break;
        }
        versions.add(new Schema.Parser().parse(in));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read schema history file " + path, e);
      }
    }
    if (versions.isEmpty()) {
      throw new IllegalArgumentException("no schema history for message '" + name + "' under classpath folder "
          + root + "; expected " + root + "/" + name + "/v1.avsc (see schemas/README.md)");
    }
    return new SchemaHistory(name, versions);
  }

  /** A history made of the given versions, oldest first; for tools and tests that build their own. */
  public static SchemaHistory of(String name, List<Schema> versionsOldestFirst) {
    if (versionsOldestFirst.isEmpty()) {
      throw new IllegalArgumentException("a schema history of '" + name + "' needs at least one version");
    }
    return new SchemaHistory(Objects.requireNonNull(name), versionsOldestFirst);
  }

  /** Message name, e.g. {@code Prompt}. */
  public String name() {
    return name;
  }

  /** All versions, oldest first; index 0 is v1. */
  public List<Schema> versions() {
    return versions;
  }

  /** Version number {@code v} (1-based). */
  public Schema version(int v) {
    if (v < 1 || v > versions.size()) {
      throw new IllegalArgumentException(name + " has versions 1.." + versions.size() + ", not " + v);
    }
    return versions.get(v - 1);
  }

  /** The newest released version, which the current schema must equal. */
  public Schema latest() {
    return versions.get(versions.size() - 1);
  }

  /** This history with one more version appended as the newest. */
  public SchemaHistory plus(Schema newer) {
    List<Schema> all = new ArrayList<>(versions);
    all.add(newer);
    return new SchemaHistory(name, all);
  }
}
