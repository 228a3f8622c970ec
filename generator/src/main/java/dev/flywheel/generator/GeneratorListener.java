package dev.flywheel.generator;

import dev.flywheel.generator.backpressure.PauseEvents;
import dev.flywheel.generator.swap.SwapEvents;

/**
 * Hooks for progress displays and tests; every method has a no-op default. Called on the generator's own threads,
 * so implementations must be quick and thread-safe.
 */
public interface GeneratorListener extends SwapEvents, PauseEvents {

    /** A listener that ignores everything. */
    static GeneratorListener silent() {
        return new GeneratorListener() {
        };
    }

    /** The generator is connected and samples with {@code policyVersion}. */
    default void started(long policyVersion) {
    }

    /** A batch's transaction committed. */
    default void batchCommitted(BatchReport report) {
    }
}
