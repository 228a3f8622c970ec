package dev.flywheel.core.bootstrap;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The record a bootstrap leaves beside its models: the command that made them, the seed, the sha256 of every
 * model under its ref, and the report's numbers, as {@code key=value} lines in {@value #FILE}; the report's table
 * goes to {@value #TABLE_FILE}.
 *
 * @param entries every key and value, in file order
 */
public record BootstrapManifest(Map<String, String> entries) {

    /** The manifest's file name inside the store directory. */
    public static final String FILE = "manifest.properties";
    /** The report table's file name inside the store directory. */
    public static final String TABLE_FILE = "report.txt";

    private static final String REF_PREFIX = "ref.";

    /** Copies the entries. */
    public BootstrapManifest {
        entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    /** Writes the manifest and the table of a finished run into {@code dir}. */
    static void write(Path dir, BootstrapOptions options, BootstrapReport report) {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("command", "flywheel bootstrap --out " + options.out() + " --seed " + options.seed()
                + (options.quick() ? " --quick" : "") + ("cpu".equals(options.device()) ? "" : " --device " + options.device()));
        report.models().forEach((ref, sha) -> e.put(REF_PREFIX + ref, sha));
        report.toProperties().forEach((k, v) -> e.put("report." + k, v));
        StringBuilder text = new StringBuilder("# Written by the Flywheel bootstrap; the models' sha256 are under ref.*\n");
        e.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        try {
            Files.writeString(dir.resolve(FILE), text, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(TABLE_FILE), report.toTable(), StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write the bootstrap manifest into " + dir, ex);
        }
    }

    /** Reads a manifest written by the bootstrap; {@code source} names it in errors. */
    public static BootstrapManifest read(InputStream in, String source) {
        String text;
        try {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read bootstrap manifest " + source, ex);
        }
        Map<String, String> e = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("bootstrap manifest " + source + " has a line without key=value: '"
                        + line + "'");
            }
            e.put(line.substring(0, eq), line.substring(eq + 1));
        }
        if (e.keySet().stream().noneMatch(k -> k.startsWith(REF_PREFIX))) {
            throw new IllegalArgumentException("bootstrap manifest " + source + " names no models (no ref.* lines)");
        }
        return new BootstrapManifest(e);
    }

    /** Reads the manifest in a store directory. */
    public static BootstrapManifest read(Path dir) {
        Path file = dir.resolve(FILE);
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read bootstrap manifest " + file, ex);
        }
    }

    /** Store ref → sha256 of every model the bootstrap wrote. */
    public Map<String, String> refs() {
        Map<String, String> refs = new LinkedHashMap<>();
        entries.forEach((k, v) -> {
            if (k.startsWith(REF_PREFIX)) {
                refs.put(k.substring(REF_PREFIX.length()), v);
            }
        });
        return refs;
    }

    /** The command that produced the models. */
    public String command() {
        return entries.getOrDefault("command", "");
    }

    /** One entry, e.g. {@code report.reward-model.accuracy}. */
    public Optional<String> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }
}
