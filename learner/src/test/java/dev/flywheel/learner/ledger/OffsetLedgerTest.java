package dev.flywheel.learner.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetLedgerTest {
    private static final TopicPartition P0 = new TopicPartition("fw.scored-rollouts", 0);

    private static RecordPosition at(long offset) {
        return new RecordPosition(P0.topic(), P0.partition(), offset);
    }

    @Test
    void watermarkAdvancesOnlyOverAContiguousPrefixWhenRecordsFinishOutOfOrder() {
        OffsetLedger ledger = OffsetLedger.empty();
        ledger.startAt(P0, 10);
        ledger.markDone(at(12));
        ledger.markDone(at(13));
        assertThat(ledger.seekOffset(P0)).hasValue(10);
        ledger.markDone(at(10));
        assertThat(ledger.seekOffset(P0)).hasValue(11);
        ledger.markDone(at(11));
        assertThat(ledger.seekOffset(P0)).hasValue(14);
    }

    @Test
    void restoredLedgerSkipsRecordsDoneAboveTheWatermarkAndRereadsTheRest() {
        OffsetLedger ledger = OffsetLedger.empty();
        ledger.startAt(P0, 0);
        for (long o : new long[] {0, 1, 2, 5, 7}) {
            ledger.markDone(at(o));
        }
        OffsetLedger restored = OffsetLedger.restore(ledger.snapshot());
        assertThat(restored.seekOffset(P0)).hasValue(3);
        assertThat(restored.isDone(at(2))).isTrue();
        assertThat(restored.isDone(at(3))).isFalse();
        assertThat(restored.isDone(at(5))).isTrue();
        assertThat(restored.isDone(at(6))).isFalse();
        assertThat(restored.isDone(at(7))).isTrue();
    }

    @Test
    void intervalSpansCoverExactlyTheRecordsAbsorbedSinceTheLastVersion() {
        OffsetLedger ledger = OffsetLedger.empty();
        ledger.startAt(P0, 0);
        for (long o : new long[] {0, 1, 2, 4, 5}) {
            ledger.markDone(at(o));
        }
        assertThat(ledger.closeInterval()).containsExactly(
                new OffsetSpan(P0.topic(), 0, 0, 3), new OffsetSpan(P0.topic(), 0, 4, 6));
        ledger.markDone(at(3));
        ledger.markDone(at(6));
        assertThat(ledger.closeInterval()).containsExactly(
                new OffsetSpan(P0.topic(), 0, 3, 4), new OffsetSpan(P0.topic(), 0, 6, 7));
        assertThat(ledger.intervalSpans()).isEmpty();
    }

    @Test
    void refusesToAbsorbARecordTwice() {
        OffsetLedger ledger = OffsetLedger.empty();
        ledger.startAt(P0, 0);
        ledger.markDone(at(0));
        assertThatThrownBy(() -> ledger.markDone(at(0))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already absorbed");
    }

    @Test
    void refusesARecordOfAPartitionThatWasNeverPositioned() {
        assertThatThrownBy(() -> OffsetLedger.empty().markDone(at(3)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("startAt");
    }

    @Test
    void spansOfSeveralPartitionsComeSortedByTopicPartitionAndOffset() {
        OffsetLedger ledger = OffsetLedger.empty();
        TopicPartition p1 = new TopicPartition(P0.topic(), 1);
        ledger.startAt(p1, 0);
        ledger.startAt(P0, 0);
        ledger.markDone(new RecordPosition(P0.topic(), 1, 0));
        ledger.markDone(at(0));
        List<OffsetSpan> spans = ledger.intervalSpans();
        assertThat(spans).extracting(OffsetSpan::partition).containsExactly(0, 1);
    }
}
