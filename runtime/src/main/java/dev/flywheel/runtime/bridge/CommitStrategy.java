package dev.flywheel.runtime.bridge;

/** Who commits a {@link KafkaReceiver}'s consumed offsets. */
public enum CommitStrategy {
    /**
     * The receiver commits the contiguous prefix of acknowledged offsets of each partition: periodically, on
     * revocation (synchronously) and on close.
     */
    ACKNOWLEDGED,
    /**
     * The receiver never commits: offsets go into a producer transaction
     * ({@link KafkaSender#sendTransactionally}) together with the records they produced. Acknowledging a record
     * only releases its in-flight slot.
     */
    TRANSACTIONAL
}
