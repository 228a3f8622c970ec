package dev.flywheel.generator.swap;

/** A published policy version the generator will not sample from, with a short machine-readable reason. */
public final class RejectedVersionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    /** With {@code reason} (e.g. {@code corrupt}, {@code missing}, {@code invalid}) and a message naming the fix. */
    public RejectedVersionException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** Short reason, the {@code reason} tag of the rejected-versions counter. */
    public String reason() {
        return reason;
    }
}
