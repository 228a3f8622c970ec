package dev.flywheel.generator.batching;

/** A prompt that decoded but cannot be sampled from; its message says what is wrong and how to fix it. */
public final class InvalidPromptException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    /** With a short {@code reason} ({@code empty}, {@code too-long}) and a message naming the fix. */
    public InvalidPromptException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** Short reason, the {@code reason} tag of the rejected-prompts counter. */
    public String reason() {
        return reason;
    }
}
