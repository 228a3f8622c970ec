package dev.flywheel.learner.feed;

import dev.flywheel.learner.ledger.RecordPosition;

/**
 * Turns the decoded records of one input topic into training examples of type {@code T}. A feed may hold records
 * back (an incomplete group); everything it is handed ends, sooner or later, as ready or dropped.
 */
public interface ExampleFeed<T> {

    /**
     * Handles one record read at {@code position} whose value bytes are {@code value}. Throws
     * {@link dev.flywheel.learner.experience.InvalidRecordException} or
     * {@link dev.flywheel.schemas.serde.UndecodableRecordException} for a record no learner can use (the caller
     * dead-letters it).
     */
    void accept(RecordPosition position, byte[] value, ExampleSink<T> sink);
}
