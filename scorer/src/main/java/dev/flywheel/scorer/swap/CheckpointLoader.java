package dev.flywheel.scorer.swap;

import dev.flywheel.core.store.Checkpoint;
import dev.flywheel.core.store.CorruptCheckpointException;
import dev.flywheel.core.store.ModelStore;
import dev.flywheel.schemas.PolicyVersion;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.function.Function;

/** Fetches a version's checkpoint from the model store, verifies it is the blob the version names, and builds it. */
public final class CheckpointLoader<M extends AutoCloseable> {
    private final ModelStore store;
    private final Function<Checkpoint, M> build;

    /** A loader reading {@code store} and turning checkpoints into models with {@code build}. */
    public CheckpointLoader(ModelStore store, Function<Checkpoint, M> build) {
        this.store = store;
        this.build = build;
    }

    /** The store's ref {@code ref} as version 0: where the scorer starts when nothing was published. */
    public VersionedModel<M> loadRef(String ref) {
        String sha = store.ref(ref).orElseThrow(() -> new IllegalArgumentException("model store " + store.directory()
                + " has no ref '" + ref + "': run `flywheel bootstrap --out " + store.directory() + "` first"));
        return new VersionedModel<>(0, sha, build.apply(store.load(sha)));
    }

    /**
     * Loads {@code version}: its URI must name the blob whose sha256 the record carries and the blob's bytes must
     * hash to it; anything else is a {@link RejectedVersionException}.
     */
    public VersionedModel<M> load(PolicyVersion version) {
        String what = version.getModel() + " version " + version.getVersion();
        String expected = version.getSha256().toLowerCase(Locale.ROOT);
        URI uri;
        try {
            uri = new URI(version.getUri());
        } catch (URISyntaxException e) {
            throw new RejectedVersionException("invalid", what + " has uri '" + version.getUri() + "', not a URI", e);
        }
        String named = shaNamedBy(uri);
        if (named != null && !named.equals(expected)) {
            throw new RejectedVersionException("invalid", what + ": uri " + uri + " names blob " + named
                    + " but the record says sha256 " + expected + "; republish it with matching sha256 and uri", null);
        }
        Checkpoint checkpoint;
        try {
            checkpoint = store.load(uri);
        } catch (CorruptCheckpointException e) {
            throw new RejectedVersionException("corrupt", what + " failed verification: " + e.getMessage(), e);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new RejectedVersionException("missing", what + " cannot be fetched from " + uri + ": "
                    + e.getMessage(), e);
        }
        try {
            return new VersionedModel<>(version.getVersion(), expected, build.apply(checkpoint));
        } catch (RuntimeException e) {
            throw new RejectedVersionException("unloadable", what + " verified but does not load: " + e.getMessage(), e);
        }
    }

    private static String shaNamedBy(URI uri) {
        if (ModelStore.STORE_SCHEME.equals(uri.getScheme())) {
            return uri.getSchemeSpecificPart();
        }
        if ("file".equals(uri.getScheme())) {
            Path file = Paths.get(uri).getFileName();
            String name = file == null ? "" : file.toString();
            return name.endsWith(".ckpt") ? name.substring(0, name.length() - ".ckpt".length()) : null;
        }
        return null;
    }
}
