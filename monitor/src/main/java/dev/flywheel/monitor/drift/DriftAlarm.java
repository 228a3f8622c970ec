package dev.flywheel.monitor.drift;

import java.time.Instant;
import java.util.Objects;

/**
 * One alarm raised by the drift detectors.
 *
 * @param at            event time of the metric point that raised it
 * @param kind          which detector fired
 * @param series        the input series it fired on, e.g. {@code scorer.reward.mean}
 * @param policyVersion the policy version of that point, or {@link #NO_VERSION} when the point had none
 * @param value         the detector's statistic: PSI, Page–Hinkley statistic (in reference standard deviations) or,
 *                      for reward hacking, the t-statistic of the reward's rise
 * @param message       what happened, in words a user can act on
 */
public record DriftAlarm(Instant at, AlarmKind kind, String series, long policyVersion, double value, String message) {

    /** The policy version of an alarm raised on a point that carried none. */
    public static final long NO_VERSION = -1;

    /** Requires every field. */
    public DriftAlarm {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(series, "series");
        Objects.requireNonNull(message, "message");
    }

    /**
     * The id of this alarm's point on fw.metrics; the same alarm replayed from the same input gets the same id, so
     * readers can drop a re-published duplicate.
     */
    public String id() {
        return kind.alarmSeries() + "@" + series + "@v" + policyVersion + "@" + at.toEpochMilli();
    }
}
