package dev.flywheel.generator.swap;

import ai.djl.Device;
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

/** Fetches a version's checkpoint from the model store, verifies it is the blob the version names, and loads it. */
public final class PolicyLoader {
    private final ModelStore store;
    private final Device device;

    /** A loader reading {@code store} and placing models on {@code device}. */
    public PolicyLoader(ModelStore store, Device device) {
        this.store = store;
        this.device = device;
    }

    /** The store's {@code policy-v0} ref as version 0: where a generator starts when nothing was published. */
    public LoadedPolicy loadInitial(String ref) {
        String sha = store.ref(ref).orElseThrow(() -> new IllegalArgumentException("model store " + store.directory()
                + " has no ref '" + ref + "' and no policy version was published: run `flywheel bootstrap --out "
                + store.directory() + "` first"));
        Checkpoint checkpoint = store.load(sha);
        return new LoadedPolicy(0, sha, checkpoint.toModel(device), System.nanoTime());
    }

    /**
     * Loads {@code version}: its URI must name the blob whose sha256 the record carries, and the blob's bytes must
     * hash to it; anything else is a {@link RejectedVersionException}.
     */
    public LoadedPolicy load(PolicyVersion version, long observedNanos) {
        String expected = version.getSha256().toLowerCase(Locale.ROOT);
        URI uri = parse(version);
        String named = shaNamedBy(uri);
        if (named != null && !named.equals(expected)) {
            throw new RejectedVersionException("invalid", "policy version " + version.getVersion() + ": uri " + uri
                    + " names blob " + named + " but the record says sha256 " + expected
                    + "; republish the version with matching sha256 and uri", null);
        }
        Checkpoint checkpoint;
        try {
            checkpoint = store.load(uri);
        } catch (CorruptCheckpointException e) {
            throw new RejectedVersionException("corrupt", "policy version " + version.getVersion()
                    + " failed verification: " + e.getMessage(), e);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new RejectedVersionException("missing", "policy version " + version.getVersion()
                    + " cannot be fetched from " + uri + ": " + e.getMessage(), e);
        }
        try {
            return new LoadedPolicy(version.getVersion(), expected, checkpoint.toModel(device), observedNanos);
        } catch (RuntimeException e) {
            throw new RejectedVersionException("unloadable", "policy version " + version.getVersion()
                    + " verified but does not load as a model: " + e.getMessage(), e);
        }
    }

    private static URI parse(PolicyVersion version) {
        try {
            return new URI(version.getUri());
        } catch (URISyntaxException e) {
            throw new RejectedVersionException("invalid", "policy version " + version.getVersion() + " has uri '"
                    + version.getUri() + "', which is not a URI: " + e.getMessage(), e);
        }
    }

    /** The sha256 a {@code store:} or {@code file:…/<sha256>.ckpt} URI names, or null for other shapes. */
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
