package dev.flywheel.learner.feed;

import dev.flywheel.learner.ledger.RecordPosition;
import java.util.List;

/** Where a feed puts what it made of a consumed record. */
public interface ExampleSink<T> {

    /** An example ready to train on, made from the records at {@code positions}. */
    void ready(T example, List<RecordPosition> positions);

    /** Records absorbed without training (filtered, stale, an expired group), counted under {@code outcome}. */
    void dropped(List<RecordPosition> positions, String outcome);
}
