package dev.flywheel.scorer.swap;

/** A published model version the scorer will not use, with a short machine-readable reason. */
public final class RejectedVersionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    /** With {@code reason} ({@code corrupt}, {@code missing}, {@code invalid}, {@code unloadable}) and a message. */
    public RejectedVersionException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** Short reason, the {@code reason} tag of the rejected-versions counter. */
    public String reason() {
        return reason;
    }
}
