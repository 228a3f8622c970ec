package dev.flywheel.generator.swap;

import java.time.Duration;

/** What the {@link PolicySwapper} tells the outside world; called on the sampling or the loading thread. */
public interface SwapEvents {

    /** Sampling moved from version {@code from} to {@code to}, {@code latency} after {@code to} was read. */
    default void swapped(long from, long to, Duration latency) {
    }

    /** Version {@code version} was skipped; sampling goes on with the version it has. */
    default void versionRejected(long version, String reason, String message) {
    }
}
