package dev.flywheel.monitor.lag;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sliding window of lag samples per group and partition; each new report comes back with every group's status
 * judged over the window. Partitions and groups missing from a report are forgotten. Not thread-safe: one sampler.
 */
public final class LagWindow {

    private final int size;
    private final StatusRules rules;
    private final Map<String, Map<String, Deque<PartitionLag>>> samples = new HashMap<>();

    private LagWindow(int size) {
        this.size = size;
        this.rules = StatusRules.overWindowOf(size);
    }

    /** A window keeping the last {@code size} samples of each partition. */
    public static LagWindow ofSize(int size) {
        return new LagWindow(size);
    }

    /** Adds one sample of every group and returns it with each group's status judged over the window. */
    public LagReport add(LagReport sample) {
        Map<String, Map<String, Deque<PartitionLag>>> kept = new HashMap<>();
        List<GroupLag> judged = new ArrayList<>();
        for (GroupLag group : sample.groups()) {
            Map<String, Deque<PartitionLag>> before = samples.getOrDefault(group.group(), Map.of());
            Map<String, Deque<PartitionLag>> now = new HashMap<>();
            List<LagStatus> statuses = new ArrayList<>();
            for (PartitionLag partition : group.partitions()) {
                String key = partition.topic() + "-" + partition.partition();
                Deque<PartitionLag> history = before.containsKey(key) ? before.get(key) : new ArrayDeque<>();
                history.addLast(partition);
                while (history.size() > size) {
                    history.removeFirst();
                }
                now.put(key, history);
                statuses.add(rules.judge(List.copyOf(history)));
            }
            kept.put(group.group(), now);
            judged.add(group.withStatus(StatusRules.worstOf(statuses)));
        }
        samples.clear();
        samples.putAll(kept);
        return new LagReport(sample.at(), judged);
    }
}
