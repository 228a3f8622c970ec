package dev.flywheel.monitor.drift;

import java.util.Locale;

/** What a drift detector saw: a population shift (warn or alarm level), a change point, or reward hacking. */
public enum AlarmKind {
    /** The PSI of the latest window against the reference passed the warn threshold (0.1 by default). */
    PSI_WARN,
    /** The PSI of the latest window against the reference passed the alarm threshold (0.2 by default). */
    PSI_ALARM,
    /** Page–Hinkley found a change in the mean of one policy version's series. */
    CHANGE_POINT,
    /** Reward rising while the KL passed its bound or the response-length distribution shifted. */
    REWARD_HACKING;

    /** The fw.metrics series of this kind's ALARM points, e.g. {@code monitor.alarm.reward_hacking}. */
    public String alarmSeries() {
        return "monitor.alarm." + name().toLowerCase(Locale.ROOT);
    }

    /** The {@code severity} tag of this kind's ALARM points: {@code warn} or {@code alarm}. */
    public String severity() {
        return this == PSI_WARN ? "warn" : "alarm";
    }
}
