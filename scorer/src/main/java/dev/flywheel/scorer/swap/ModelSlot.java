package dev.flywheel.scorer.swap;

import dev.flywheel.schemas.PolicyVersion;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The version of one model (e.g. {@code reward-model}) the scorer uses, and the hand-over to newer ones.
 *
 * <p>Newer versions load on the given loading executor, newest first (one published while another loads makes the
 * older one skipped), and wait as <em>pending</em> until the stream thread calls {@link #swapIfPending()} between
 * batches; the old model is closed then, once nothing scores with it. A version that fails to verify or load is
 * rejected and the slot keeps its model.
 */
public final class ModelSlot<M extends AutoCloseable> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelSlot.class);

    private final String modelName;
    private final CheckpointLoader<M> loader;
    private final Executor loading;
    private final BiConsumer<String, String> onRejected;
    private final AtomicReference<VersionedModel<M>> pending = new AtomicReference<>();
    private volatile VersionedModel<M> current;
    private PolicyVersion wanted;
    private long highestSeen;

    /** A slot for {@code modelName} starting with {@code initial}; rejections go to {@code onRejected(name, reason)}. */
    public ModelSlot(String modelName, VersionedModel<M> initial, CheckpointLoader<M> loader, Executor loading,
                     BiConsumer<String, String> onRejected) {
        this.modelName = modelName;
        this.loader = loader;
        this.loading = loading;
        this.onRejected = onRejected;
        this.current = initial;
        this.highestSeen = initial.version();
    }

    /** The model name this slot follows. */
    public String modelName() {
        return modelName;
    }

    /** The version in use. */
    public VersionedModel<M> current() {
        return current;
    }

    /** A version read from the topic: loaded in the background when newer than anything seen. */
    public synchronized void observe(PolicyVersion version) {
        if (version.getVersion() <= highestSeen) {
            return;
        }
        highestSeen = version.getVersion();
        wanted = version;
        loading.execute(this::loadWanted);
    }

    /** Loads {@code version} now, on the calling thread, and makes it current (start-up, before scoring begins). */
    public synchronized void loadNow(PolicyVersion version) {
        VersionedModel<M> loaded = loader.load(version);
        VersionedModel<M> previous = current;
        current = loaded;
        highestSeen = Math.max(highestSeen, loaded.version());
        previous.close();
    }

    private void loadWanted() {
        PolicyVersion version;
        synchronized (this) {
            version = wanted;
            wanted = null;
        }
        if (version == null) {
            return;
        }
        try {
            VersionedModel<M> loaded = loader.load(version);
            LOG.info("{} version {} verified (sha256 {}) and loaded; swapping in at the next batch", modelName,
                    loaded.version(), loaded.sha256());
            VersionedModel<M> unused = pending.getAndSet(loaded);
            if (unused != null) {
                unused.close();
            }
        } catch (RejectedVersionException e) {
            reject(version, e.reason(), e.getMessage());
        } catch (RuntimeException e) {
            reject(version, "unloadable", e.toString());
        }
    }

    private void reject(PolicyVersion version, String reason, String message) {
        LOG.error("rejected {} version {} ({}): {}; scoring goes on with version {}", modelName, version.getVersion(),
                reason, message, current.version());
        onRejected.accept(modelName, reason);
    }

    /** On the stream thread, between batches: switches to the pending version if one is ready; true if it did. */
    public boolean swapIfPending() {
        VersionedModel<M> next = pending.getAndSet(null);
        if (next == null) {
            return false;
        }
        VersionedModel<M> previous = current;
        if (next.version() <= previous.version()) {
            next.close();
            return false;
        }
        current = next;
        previous.close();
        LOG.info("swapped {} version {} -> {}", modelName, previous.version(), next.version());
        return true;
    }

    /** Releases every model the slot holds; call after scoring has stopped and loading has finished. */
    @Override
    public void close() {
        VersionedModel<M> unused = pending.getAndSet(null);
        if (unused != null) {
            unused.close();
        }
        current.close();
    }
}
