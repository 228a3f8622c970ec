package dev.flywheel.learner.ledger;

import org.apache.kafka.common.TopicPartition;

/** Where one consumed record sits in the log. */
public record RecordPosition(String topic, int partition, long offset) {

    /** The record's topic-partition. */
    public TopicPartition topicPartition() {
        return new TopicPartition(topic, partition);
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
