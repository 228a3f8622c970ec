package dev.flywheel.runtime.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PartitionLedgerTest {

    @Test
    void commitsTheContiguousAcknowledgedPrefixOnly() {
        PartitionLedger ledger = received(5, 6, 7, 8, 9);
        ledger.acknowledge(5);
        ledger.acknowledge(6);
        ledger.acknowledge(8);
        assertThat(ledger.uncommittedPosition()).isEqualTo(7);
        assertThat(ledger.unacknowledged()).isEqualTo(2);
        ledger.acknowledge(7);
        assertThat(ledger.uncommittedPosition()).isEqualTo(9);
    }

    @Test
    void gapsInReceivedOffsetsDoNotBlockCommits() {
        // Offsets 3 and 6 are transaction markers: never received, never acknowledged.
        PartitionLedger ledger = received(0, 1, 2, 4, 5, 7);
        for (long offset : new long[] {0, 1, 2, 4, 5, 7}) {
            ledger.acknowledge(offset);
        }
        assertThat(ledger.uncommittedPosition()).isEqualTo(8);
        assertThat(ledger.unacknowledged()).isZero();
    }

    @Test
    void repeatedOrUnknownAcknowledgementsChangeNothing() {
        PartitionLedger ledger = received(10, 11);
        assertThat(ledger.acknowledge(10)).isTrue();
        assertThat(ledger.acknowledge(10)).isFalse();
        assertThat(ledger.acknowledge(9)).isFalse();
        assertThat(ledger.acknowledge(12)).isFalse();
        assertThat(ledger.unacknowledged()).isEqualTo(1);
        assertThat(ledger.uncommittedPosition()).isEqualTo(11);
    }

    @Test
    void reportsNothingToCommitOnceCommitted() {
        PartitionLedger ledger = received(0, 1);
        assertThat(ledger.uncommittedPosition()).isEqualTo(-1);
        ledger.acknowledge(0);
        ledger.committed(1);
        assertThat(ledger.uncommittedPosition()).isEqualTo(-1);
        ledger.acknowledge(1);
        assertThat(ledger.uncommittedPosition()).isEqualTo(2);
    }

    @Test
    void rejectsOffsetsGoingBackwards() {
        PartitionLedger ledger = received(4);
        assertThatThrownBy(() -> ledger.received(4)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("offset 4 received after 4");
    }

    private static PartitionLedger received(long... offsets) {
        PartitionLedger ledger = new PartitionLedger(1);
        for (long offset : offsets) {
            ledger.received(offset);
        }
        return ledger;
    }
}
