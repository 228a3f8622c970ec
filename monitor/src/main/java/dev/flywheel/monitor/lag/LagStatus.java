package dev.flywheel.monitor.lag;

/**
 * The health of a consumer over a sliding window of lag samples, after Burrow's rules; declared from least to most
 * severe, so a group's status is the most severe of its partitions' and {@link #ordinal()} is the gauge value.
 */
public enum LagStatus {
    /** Caught up at some point in the window, or moving without falling further behind. */
    OK,
    /** Committing, but the lag only grew over the whole window. */
    WARNING,
    /** A live consumer owns the partition but its committed offset has not moved over the window while lag > 0. */
    STALL,
    /** Nobody owns the partition any more (no commits can come) and records wait: lag > 0. */
    STOP,
    /** The committed offset went back: someone reset or rewound the group. */
    REWIND;

    /** The more severe of the two. */
    public LagStatus worse(LagStatus other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
