package dev.flywheel.core.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A directory of content-addressed checkpoints: {@code <sha256>.ckpt} files plus named refs under {@code refs/}
 * (e.g. {@code refs/policy-v0}, {@code refs/reference}, {@code refs/reward-model}) holding a sha256.
 *
 * <p>Writes go to a temp file in the same directory and are renamed into place, so a reader never sees a half
 * checkpoint; every load re-hashes the bytes. URIs are either {@code file:///…/<sha256>.ckpt} or
 * {@code store:<sha256>} (resolved against this store).
 */
public final class ModelStore {

    /** Scheme of store-relative URIs. */
    public static final String STORE_SCHEME = "store";

    private static final String SUFFIX = ".ckpt";
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern REF = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private final Path dir;

    private ModelStore(Path dir) {
        this.dir = dir;
    }

    /** Opens (creating if needed) the store in {@code dir}. */
    public static ModelStore open(Path dir) {
        try {
            Files.createDirectories(dir.resolve("refs"));
            return new ModelStore(dir.toAbsolutePath().normalize());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create model store directory " + dir, e);
        }
    }

    /** The store's directory. */
    public Path directory() {
        return dir;
    }

    /** Writes {@code checkpoint} (a no-op if identical bytes are already stored) and returns where it is. */
    public StoredCheckpoint save(Checkpoint checkpoint) {
        byte[] bytes = CheckpointCodec.encode(checkpoint);
        String sha = sha256(bytes);
        Path target = pathOf(sha);
        try {
            if (!Files.exists(target)) {
                Path tmp = Files.createTempFile(dir, "." + sha.substring(0, 12) + "-", ".tmp");
                try {
                    Files.write(tmp, bytes);
                    moveAtomically(tmp, target);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
            return new StoredCheckpoint(sha, target.toUri(), target, bytes.length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + target, e);
        }
    }

    /** Reads and verifies the checkpoint with this sha256. */
    public Checkpoint load(String sha256) {
        requireSha(sha256);
        return read(pathOf(sha256), sha256);
    }

    /** Reads and verifies the checkpoint at a {@code file:} or {@code store:} URI. */
    public Checkpoint load(URI uri) {
        if (STORE_SCHEME.equals(uri.getScheme())) {
            return load(uri.getSchemeSpecificPart());
        }
        if ("file".equals(uri.getScheme())) {
            Path path = Paths.get(uri);
            String name = path.getFileName().toString();
            if (!name.endsWith(SUFFIX) || !SHA.matcher(name.substring(0, name.length() - SUFFIX.length())).matches()) {
                throw new IllegalArgumentException("checkpoint URI " + uri + " must name a <sha256>.ckpt file");
            }
            return read(path, name.substring(0, name.length() - SUFFIX.length()));
        }
        throw new IllegalArgumentException("unsupported checkpoint URI " + uri + "; use file:///…/<sha256>.ckpt or "
                + "store:<sha256>");
    }

    /** The {@code store:<sha256>} URI of a checkpoint. */
    public static URI storeUri(String sha256) {
        requireSha(sha256);
        return URI.create(STORE_SCHEME + ":" + sha256);
    }

    /** The file a checkpoint is (or would be) stored in. */
    public Path pathOf(String sha256) {
        return dir.resolve(sha256 + SUFFIX);
    }

    /** Whether a checkpoint with this sha256 is present. */
    public boolean contains(String sha256) {
        return Files.exists(pathOf(sha256));
    }

    /** Points the named ref (e.g. {@code policy-v0} or {@code refs/policy-v0}) at a stored checkpoint. */
    public void setRef(String name, String sha256) {
        requireSha(sha256);
        if (!contains(sha256)) {
            throw new IllegalArgumentException("cannot point ref " + name + " at " + sha256 + ": no such checkpoint in "
                    + dir + "; save it first");
        }
        Path ref = refPath(name);
        try {
            Path tmp = Files.createTempFile(ref.getParent(), ".ref-", ".tmp");
            try {
                Files.writeString(tmp, sha256 + "\n", StandardCharsets.UTF_8);
                moveAtomically(tmp, ref);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write ref " + ref, e);
        }
    }

    /** The sha256 a ref points at, if the ref exists. */
    public Optional<String> ref(String name) {
        Path ref = refPath(name);
        if (!Files.exists(ref)) {
            return Optional.empty();
        }
        try {
            String sha = Files.readString(ref, StandardCharsets.UTF_8).trim();
            if (!SHA.matcher(sha).matches()) {
                throw new CorruptCheckpointException("ref file " + ref + " does not hold a sha256 (found '" + sha + "')");
            }
            return Optional.of(sha);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ref " + ref, e);
        }
    }

    /** Loads the checkpoint a ref points at; fails naming the ref if it is missing. */
    public Checkpoint loadRef(String name) {
        return load(ref(name).orElseThrow(() -> new IllegalArgumentException("no ref '" + name + "' in model store "
                + dir + " (expected file " + refPath(name) + "); run `flywheel bootstrap --out " + dir + "` first")));
    }

    private Path refPath(String name) {
        String bare = name.startsWith("refs/") ? name.substring("refs/".length()) : name;
        if (!REF.matcher(bare).matches()) {
            throw new IllegalArgumentException("ref name '" + name + "' must be letters, digits, '.', '_' or '-'");
        }
        return dir.resolve("refs").resolve(bare);
    }

    private static Checkpoint read(Path path, String expectedSha) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("checkpoint " + expectedSha + " not found: no file " + path, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + path, e);
        }
        String actual = sha256(bytes);
        if (!actual.equals(expectedSha)) {
            throw new CorruptCheckpointException("checkpoint file " + path + " is corrupt: expected sha256 "
                    + expectedSha + " but its bytes hash to " + actual + "; delete it and save or download it again");
        }
        return CheckpointCodec.decode(bytes, "checkpoint file " + path);
    }

    /** Lowercase hex sha256 of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }

    private static void requireSha(String sha256) {
        if (sha256 == null || !SHA.matcher(sha256).matches()) {
            throw new IllegalArgumentException("'" + sha256 + "' is not a sha256 (64 lowercase hex digits)");
        }
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
