package dev.flywheel.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The figures one benchmark measured, in the order they were put: printed as aligned {@code name = value} lines and
 * written as one JSON object (nested sections become nested objects). Figures, never verdicts.
 */
public final class BenchReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Map<String, Object> figures = new LinkedHashMap<>();

    private BenchReport(String bench) {
        figures.put("bench", bench);
        figures.put("measured_at", Instant.now().toString());
        figures.put("machine", Machine.describe());
    }

    /** An empty report of the benchmark named {@code bench} (stamped with the time and the machine). */
    public static BenchReport of(String bench) {
        return new BenchReport(bench);
    }

    /** Adds (or replaces) a top-level figure: a number, a string, a boolean or a nested map. */
    public BenchReport put(String name, Object value) {
        figures.put(name, value);
        return this;
    }

    /** Adds a nested section and returns its map, which keeps insertion order. */
    public Map<String, Object> section(String name) {
        Map<String, Object> section = new LinkedHashMap<>();
        figures.put(name, section);
        return section;
    }

    /** The figures, as they will be written. */
    public Map<String, Object> figures() {
        return figures;
    }

    /** Prints every figure but the machine description as {@code name = value} lines, sections dotted. */
    public void print(PrintWriter out) {
        figures.forEach((name, value) -> {
            if (!name.equals("machine") && !name.equals("bench") && !name.equals("measured_at")) {
                print(out, name, value);
            }
        });
        out.flush();
    }

    @SuppressWarnings("unchecked")
    private static void print(PrintWriter out, String name, Object value) {
        if (value instanceof Map<?, ?> map) {
            ((Map<String, Object>) map).forEach((k, v) -> print(out, name + "." + k, v));
        } else {
            out.printf(Locale.ROOT, "  %-44s %s%n", name, format(value));
        }
    }

    private static String format(Object value) {
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Math.abs(d) >= 100 ? String.format(Locale.ROOT, "%,.1f", d) : String.format(Locale.ROOT, "%.3f", d);
        }
        return String.valueOf(value);
    }

    /** Writes the report as JSON to {@code file}, creating its folder. */
    public void writeJson(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            JSON.writeValue(file.toFile(), figures);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the benchmark report to --json " + file + ": "
                    + e.getMessage(), e);
        }
    }

    /** Rounds to {@code digits} decimals so reports do not carry meaningless noise digits. */
    public static double round(double value, int digits) {
        if (!Double.isFinite(value)) {
            return value;
        }
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }
}
