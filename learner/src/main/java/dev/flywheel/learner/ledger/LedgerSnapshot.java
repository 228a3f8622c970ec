package dev.flywheel.learner.ledger;

import java.util.List;

/** The ledger as a checkpoint stores it. */
public record LedgerSnapshot(List<PartitionState> partitions) {

    /** Copies the list. */
    public LedgerSnapshot {
        partitions = List.copyOf(partitions);
    }

    /** One partition: every offset below {@code watermark} is done, plus {@code doneAbove}. */
    public record PartitionState(String topic, int partition, long watermark, List<Long> doneAbove) {

        /** Copies the list. */
        public PartitionState {
            doneAbove = List.copyOf(doneAbove);
        }
    }
}
