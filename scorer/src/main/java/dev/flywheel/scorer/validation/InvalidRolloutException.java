package dev.flywheel.scorer.validation;

/** A rollout that decoded but cannot be scored; the message names the field and what is wrong with it. */
public final class InvalidRolloutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** With a message naming the rollout, the field and the fix. */
    public InvalidRolloutException(String message) {
        super(message);
    }
}
