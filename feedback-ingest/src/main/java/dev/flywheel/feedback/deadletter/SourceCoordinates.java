package dev.flywheel.feedback.deadletter;

import java.util.Objects;

/**
 * Where a record was read from, kept with feedback that waits in a store so that its dead letter can still name
 * the original topic, partition and offset.
 */
public record SourceCoordinates(String topic, int partition, long offset, long timestamp) {

    /** Validates the topic name. */
    public SourceCoordinates {
        Objects.requireNonNull(topic, "topic");
    }
}
