package dev.flywheel.generator.backpressure;

/** Pause transitions, reported on the sampling thread. */
public interface PauseEvents {

    /** Prompt consumption stopped for {@code reason}; {@code detail} says by how much the bound is exceeded. */
    default void paused(PauseReason reason, String detail) {
    }

    /** The {@code reason} no longer holds (another may still). */
    default void resumed(PauseReason reason) {
    }
}
