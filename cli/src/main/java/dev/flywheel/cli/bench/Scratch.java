package dev.flywheel.cli.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A temporary folder for one benchmark run (model store, broker logs), deleted with everything in it on close. */
public final class Scratch implements AutoCloseable {
    private final Path dir;

    private Scratch(Path dir) {
        this.dir = dir;
    }

    /** A fresh folder under the system's temporary directory. */
    public static Scratch create(String name) {
        try {
            return new Scratch(Files.createTempDirectory("flywheel-bench-" + name + "-"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder for the benchmark: " + e.getMessage(), e);
        }
    }

    /** {@code child} inside the folder. */
    public Path resolve(String child) {
        return dir.resolve(child);
    }

    @Override
    public void close() {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Leftovers in the temporary directory are harmless; the figures are what matters.
        }
    }
}
