package dev.flywheel.learner.ledger;

import dev.flywheel.schemas.OffsetRange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableSet;
import org.apache.kafka.common.TopicPartition;

/** A contiguous run of offsets [from, to) of one partition: the lineage unit of a published version. */
public record OffsetSpan(String topic, int partition, long fromOffset, long toOffset) {

    /** By topic, partition, then start offset. */
    public static final Comparator<OffsetSpan> ORDER = Comparator.comparing(OffsetSpan::topic)
            .thenComparingInt(OffsetSpan::partition).thenComparingLong(OffsetSpan::fromOffset);

    /** Checks the span is non-empty. */
    public OffsetSpan {
        if (toOffset <= fromOffset) {
            throw new IllegalArgumentException("empty offset span [" + fromOffset + ", " + toOffset + ")");
        }
    }

    /** The maximal contiguous spans covering exactly {@code offsets} of {@code tp}. */
    public static List<OffsetSpan> cover(TopicPartition tp, NavigableSet<Long> offsets) {
        List<OffsetSpan> spans = new ArrayList<>();
        Long start = null;
        long previous = 0;
        for (long o : offsets) {
            if (start == null) {
                start = o;
            } else if (o != previous + 1) {
                spans.add(new OffsetSpan(tp.topic(), tp.partition(), start, previous + 1));
                start = o;
            }
            previous = o;
        }
        if (start != null) {
            spans.add(new OffsetSpan(tp.topic(), tp.partition(), start, previous + 1));
        }
        return spans;
    }

    /** Number of offsets in the span. */
    public long count() {
        return toOffset - fromOffset;
    }

    /** The span as the Avro lineage record of {@code PolicyVersion}. */
    public OffsetRange toAvro() {
        return OffsetRange.newBuilder().setTopic(topic).setPartition(partition).setFromOffset(fromOffset)
                .setToOffset(toOffset).build();
    }
}
