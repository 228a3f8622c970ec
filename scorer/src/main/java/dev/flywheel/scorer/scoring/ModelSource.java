package dev.flywheel.scorer.scoring;

/** Where the scoring thread gets its models; read on the stream thread only. */
@FunctionalInterface
public interface ModelSource {

    /** The models in use now (for validation); never hands over a newer version. */
    ModelsInUse current();

    /** The models for the next batch: a source that hot-swaps hands over a newly loaded version here, between batches. */
    default ModelsInUse forNextBatch() {
        return current();
    }

    /** A source that always scores with {@code models}. */
    static ModelSource fixed(ModelsInUse models) {
        return () -> models;
    }
}
