package dev.flywheel.learner.ledger;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * Which consumed offsets the model has fully absorbed (trained on, or dropped with a reason), per partition.
 *
 * <p>Records can finish out of log order (a GRPO group waits for its last sample while later records are trained),
 * so a partition's state is a watermark, below which every offset is done, plus the done offsets above it. That pair
 * is what a checkpoint stores: on restart the learner seeks to the watermark and skips the done offsets above it,
 * so no record is trained twice or lost. Offsets done since the last {@link #closeInterval} are the lineage of the
 * next published version.
 */
public final class OffsetLedger {

    private final Map<TopicPartition, Long> watermarks = new HashMap<>();
    private final Map<TopicPartition, NavigableSet<Long>> doneAbove = new HashMap<>();
    private final Map<TopicPartition, NavigableSet<Long>> interval = new HashMap<>();

    private OffsetLedger() {
    }

    /** A ledger where nothing is done yet. */
    public static OffsetLedger empty() {
        return new OffsetLedger();
    }

    /** A ledger restored from a checkpoint's {@link #snapshot()}. */
    public static OffsetLedger restore(LedgerSnapshot snapshot) {
        OffsetLedger ledger = new OffsetLedger();
        snapshot.partitions().forEach(p -> {
            TopicPartition tp = new TopicPartition(p.topic(), p.partition());
            ledger.watermarks.put(tp, p.watermark());
            ledger.doneAbove.put(tp, new TreeSet<>(p.doneAbove()));
        });
        return ledger;
    }

    /** Where to seek {@code tp} on start: its watermark, or empty when the learner never read it. */
    public java.util.OptionalLong seekOffset(TopicPartition tp) {
        Long w = watermarks.get(tp);
        return w == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(w);
    }

    /** Whether {@code position} was already absorbed (a record to skip after a restart). */
    public boolean isDone(RecordPosition position) {
        TopicPartition tp = position.topicPartition();
        Long w = watermarks.get(tp);
        if (w != null && position.offset() < w) {
            return true;
        }
        NavigableSet<Long> above = doneAbove.get(tp);
        return above != null && above.contains(position.offset());
    }

    /** Marks a record absorbed; its partition must have a watermark ({@link #startAt} or a restored ledger). */
    public void markDone(RecordPosition position) {
        if (isDone(position)) {
            throw new IllegalStateException("record " + position + " was already absorbed; training it again would "
                    + "break exactly-once");
        }
        TopicPartition tp = position.topicPartition();
        Long start = watermarks.get(tp);
        if (start == null) {
            throw new IllegalStateException("partition " + tp + " has no start offset; call startAt when assigning it");
        }
        NavigableSet<Long> above = doneAbove.computeIfAbsent(tp, k -> new TreeSet<>());
        above.add(position.offset());
        interval.computeIfAbsent(tp, k -> new TreeSet<>()).add(position.offset());
        long w = start;
        while (above.remove(w)) {
            w++;
        }
        watermarks.put(tp, w);
    }

    /** Tells the ledger where a partition starts when the learner begins it from a position with nothing done. */
    public void startAt(TopicPartition tp, long offset) {
        watermarks.putIfAbsent(tp, offset);
    }

    /** Offsets absorbed since the last {@link #closeInterval}, as maximal contiguous ranges, sorted. */
    public List<OffsetSpan> intervalSpans() {
        List<OffsetSpan> spans = new ArrayList<>();
        interval.forEach((tp, offsets) -> spans.addAll(OffsetSpan.cover(tp, offsets)));
        spans.sort(OffsetSpan.ORDER);
        return Collections.unmodifiableList(spans);
    }

    /** Number of records absorbed since the last {@link #closeInterval}. */
    public long intervalCount() {
        return interval.values().stream().mapToLong(NavigableSet::size).sum();
    }

    /** Ends the current interval (a version was published, or its records were discarded) and returns its spans. */
    public List<OffsetSpan> closeInterval() {
        List<OffsetSpan> spans = intervalSpans();
        interval.clear();
        return spans;
    }

    /** The watermarks and done-above sets, for a checkpoint. */
    public LedgerSnapshot snapshot() {
        List<LedgerSnapshot.PartitionState> out = new ArrayList<>();
        new TreeMap<>(byName(watermarks)).forEach((name, tp) -> out.add(new LedgerSnapshot.PartitionState(
                tp.topic(), tp.partition(), watermarks.get(tp),
                List.copyOf(doneAbove.getOrDefault(tp, new TreeSet<>())))));
        return new LedgerSnapshot(out);
    }

    /** The watermark of every partition read so far. */
    public Map<TopicPartition, Long> watermarks() {
        return Map.copyOf(watermarks);
    }

    private static Map<String, TopicPartition> byName(Map<TopicPartition, Long> m) {
        Map<String, TopicPartition> out = new HashMap<>();
        m.keySet().forEach(tp -> out.put(tp.topic() + "\u0000" + String.format("%09d", tp.partition()), tp));
        return out;
    }
}
