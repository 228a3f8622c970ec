package dev.flywheel.core.bootstrap;

import dev.flywheel.core.store.ModelStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeSet;

/**
 * The models the full bootstrap produced with {@link BootstrapOptions#SHIPPED_SEED}, shipped as resources so that
 * {@code flywheel demo} starts at once: {@link #install(Path)} copies them into a model store, checking every
 * file's sha256 against the shipped manifest.
 */
public final class ShippedModels {

    /** Classpath folder of the shipped store. */
    public static final String RESOURCE_DIR = "/dev/flywheel/core/bootstrap/store/";

    private ShippedModels() {
    }

    /** Whether this build carries shipped models. */
    public static boolean available() {
        return ShippedModels.class.getResource(RESOURCE_DIR + BootstrapManifest.FILE) != null;
    }

    /** The shipped manifest: command, seed, the models' sha256 and the bootstrap report's numbers. */
    public static BootstrapManifest manifest() {
        try (InputStream in = open(BootstrapManifest.FILE)) {
            return BootstrapManifest.read(in, "classpath:" + RESOURCE_DIR + BootstrapManifest.FILE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the shipped bootstrap manifest", e);
        }
    }

    /** The shipped bootstrap's report table. */
    public static String reportTable() {
        try (InputStream in = open(BootstrapManifest.TABLE_FILE)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the shipped bootstrap report", e);
        }
    }

    /**
     * Copies the shipped checkpoints, refs and manifest into the store at {@code dir} (created if needed) and
     * returns it. Every checkpoint's bytes are hashed and must match the manifest; files already present with
     * the right hash are kept, others are replaced. Existing refs of the same names are overwritten.
     */
    public static ModelStore install(Path dir) {
        BootstrapManifest manifest = manifest();
        ModelStore store = ModelStore.open(dir);
        try {
            for (String sha : new TreeSet<>(manifest.refs().values())) {
                if (!store.contains(sha) || !sha.equals(ModelStore.sha256(Files.readAllBytes(store.pathOf(sha))))) {
                    byte[] bytes = read(sha + ".ckpt");
                    String actual = ModelStore.sha256(bytes);
                    if (!actual.equals(sha)) {
                        throw new IllegalStateException("shipped checkpoint " + sha + ".ckpt hashes to " + actual
                                + "; the build's resources are corrupt, rebuild flywheel-core");
                    }
                    writeAtomically(store.pathOf(sha), bytes);
                }
            }
            for (Map.Entry<String, String> ref : manifest.refs().entrySet()) {
                store.setRef(ref.getKey(), ref.getValue());
            }
            writeAtomically(store.directory().resolve(BootstrapManifest.FILE), read(BootstrapManifest.FILE));
            writeAtomically(store.directory().resolve(BootstrapManifest.TABLE_FILE), read(BootstrapManifest.TABLE_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the shipped models into " + dir, e);
        }
        return store;
    }

    private static byte[] read(String name) throws IOException {
        try (InputStream in = open(name)) {
            return in.readAllBytes();
        }
    }

    private static InputStream open(String name) {
        InputStream in = ShippedModels.class.getResourceAsStream(RESOURCE_DIR + name);
        if (in == null) {
            throw new IllegalStateException("this build ships no bootstrap models (missing classpath resource "
                    + RESOURCE_DIR + name + "); run `flywheel bootstrap --out DIR` to train them");
        }
        return in;
    }

    private static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), ".shipped-", ".tmp");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
