package dev.flywheel.core.store;

/** A checkpoint file whose bytes do not match its name's sha256, or that cannot be decoded. */
public final class CorruptCheckpointException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** With a message naming the file and what is wrong. */
    public CorruptCheckpointException(String message) {
        super(message);
    }

    /** With a message and the decoding failure. */
    public CorruptCheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
