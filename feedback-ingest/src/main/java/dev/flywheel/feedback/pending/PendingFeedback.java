package dev.flywheel.feedback.pending;

import dev.flywheel.feedback.deadletter.SourceCoordinates;
import dev.flywheel.schemas.Feedback;
import java.util.Objects;

/**
 * Feedback held back because a rollout it names has not been seen yet.
 *
 * @param feedback  the feedback as read
 * @param origin    where it was read, for its dead letter
 * @param sinceMs   wall-clock time it started waiting, epoch milliseconds
 * @param awaitedId the rollout id it waits for
 */
public record PendingFeedback(Feedback feedback, SourceCoordinates origin, long sinceMs, String awaitedId) {

    /** Validates that every part is present. */
    public PendingFeedback {
        Objects.requireNonNull(feedback, "feedback");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(awaitedId, "awaitedId");
    }

    /** Whether it has waited at least {@code graceMs} at wall-clock time {@code nowMs}. */
    public boolean overdue(long nowMs, long graceMs) {
        return nowMs - sinceMs >= graceMs;
    }
}
