package dev.flywheel.learner.experience;

/** A record the learner cannot train on; it goes to the dead-letter topic with this message. */
public final class InvalidRecordException extends RuntimeException {

    /** An invalid record, with what is wrong and what would fix it. */
    public InvalidRecordException(String message) {
        super(message);
    }
}
