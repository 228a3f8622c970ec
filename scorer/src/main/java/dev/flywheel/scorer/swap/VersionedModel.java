package dev.flywheel.scorer.swap;

import java.util.Objects;

/**
 * A model version loaded into memory.
 *
 * @param version {@code PolicyVersion.version}, 0 for the store's ref when nothing was published
 * @param sha256  the verified sha256 of its checkpoint
 * @param model   the model; closed when the version is swapped out
 * @param <M>     the model type
 */
public record VersionedModel<M extends AutoCloseable>(long version, String sha256, M model) implements AutoCloseable {

    /** Checks the model is present. */
    public VersionedModel {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(sha256, "sha256");
    }

    /** Releases the model's native memory. */
    @Override
    public void close() {
        try {
            model.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot close model version " + version + ": " + e.getMessage(), e);
        }
    }
}
