package dev.flywheel.schemas.history;

import dev.flywheel.schemas.Messages;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/** The module's schema files on disk, as a developer edits them. */
final class SchemaFiles {

  static final Path AVRO_DIR = Path.of(System.getProperty("basedir", "."), "src", "main", "avro");
  static final Path HISTORY_DIR = AVRO_DIR.resolve("history");

  private SchemaFiles() {}

  /** Every current .avsc parsed as the build does: Rollout first, since ScoredRollout refers to it by name. */
  static Map<String, Schema> current() {
    Schema.Parser parser = new Schema.Parser();
    Schema rollout = parser.parse(read(AVRO_DIR.resolve("Rollout.avsc")));
    Map<String, Schema> byName = new LinkedHashMap<>();
    for (String name : Messages.names()) {
      byName.put(name, name.equals("Rollout") ? rollout : parser.parse(read(AVRO_DIR.resolve(name + ".avsc"))));
    }
    return byName;
  }

  static Schema testResource(String path) {
    try (InputStream in = SchemaFiles.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + path);
      }
      return new Schema.Parser().parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> historyFolders() throws IOException {
    try (var folders = Files.list(HISTORY_DIR)) {
      return folders.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  static List<String> versionFiles(String name) throws IOException {
    try (var files = Files.list(HISTORY_DIR.resolve(name))) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
