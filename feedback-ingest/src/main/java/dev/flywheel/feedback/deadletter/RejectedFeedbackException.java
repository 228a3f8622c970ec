package dev.flywheel.feedback.deadletter;

import java.util.Objects;

/** A feedback record refused by validation or by the join; its message is the dead letter's reason. */
public final class RejectedFeedbackException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Rejection rejection;

    /** A refusal of kind {@code rejection} with a message naming what is wrong and how to fix it. */
    public RejectedFeedbackException(Rejection rejection, String detail) {
        super(Objects.requireNonNull(rejection, "rejection") + ": " + detail, null, false, false);
        this.rejection = rejection;
    }

    /** The kind of refusal. */
    public Rejection rejection() {
        return rejection;
    }
}
