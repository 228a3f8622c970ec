package dev.flywheel.monitor.lag;

import java.util.List;

/**
 * Burrow's rules judging one partition from its samples, oldest first.
 *
 * <ol>
 *   <li>REWIND if the committed offset ever went back between two samples;</li>
 *   <li>OK if the lag was 0 in any sample (the consumer caught up in the window);</li>
 *   <li>STOP if no member owns the partition now and the committed offset has not moved: with lag > 0 and nobody to
 *       commit, commits have stopped. Kafka's Admin API does not tell when a commit happened, so "commits stopped"
 *       is read from ownership, which also needs no full window;</li>
 *   <li>otherwise nothing more is said until the window is full (OK);</li>
 *   <li>STALL if the committed offset did not move over the full window although a member owns the partition;</li>
 *   <li>WARNING if the offset moved but the lag never shrank and grew overall (the consumer falls behind);</li>
 *   <li>OK otherwise.</li>
 * </ol>
 */
public final class StatusRules {

    private final int windowSize;

    private StatusRules(int windowSize) {
        this.windowSize = windowSize;
    }

    /** Rules that call STALL and WARNING only on a full window of {@code samples} samples. */
    public static StatusRules overWindowOf(int samples) {
        if (samples < 1) {
            throw new IllegalArgumentException("a status window holds at least 1 sample, was " + samples);
        }
        return new StatusRules(samples);
    }

    /** The status of one partition given its samples, oldest first (at most the window's size are looked at). */
    public LagStatus judge(List<PartitionLag> samples) {
        if (samples.isEmpty()) {
            return LagStatus.OK;
        }
        List<PartitionLag> window = samples.subList(Math.max(0, samples.size() - windowSize), samples.size());
        if (wentBack(window)) {
            return LagStatus.REWIND;
        }
        if (window.stream().anyMatch(s -> s.lagRecords() <= 0)) {
            return LagStatus.OK;
        }
        PartitionLag first = window.get(0);
        PartitionLag last = window.get(window.size() - 1);
        boolean moved = last.committedOffset() != first.committedOffset();
        if (!moved && !last.owned()) {
            return LagStatus.STOP;
        }
        if (window.size() < windowSize) {
            return LagStatus.OK;
        }
        if (!moved) {
            return LagStatus.STALL;
        }
        return onlyGrew(window) ? LagStatus.WARNING : LagStatus.OK;
    }

    /** The status of a group: the most severe of its partitions' statuses. */
    public static LagStatus worstOf(List<LagStatus> statuses) {
        return statuses.stream().reduce(LagStatus.OK, LagStatus::worse);
    }

    private static boolean wentBack(List<PartitionLag> window) {
        for (int i = 1; i < window.size(); i++) {
            if (window.get(i).committedOffset() < window.get(i - 1).committedOffset()) {
                return true;
            }
        }
        return false;
    }

    private static boolean onlyGrew(List<PartitionLag> window) {
        for (int i = 1; i < window.size(); i++) {
            if (window.get(i).lagRecords() < window.get(i - 1).lagRecords()) {
                return false;
            }
        }
        return window.get(window.size() - 1).lagRecords() > window.get(0).lagRecords();
    }
}
