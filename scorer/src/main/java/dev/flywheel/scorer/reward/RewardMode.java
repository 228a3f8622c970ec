package dev.flywheel.scorer.reward;

import dev.flywheel.schemas.RewardSource;
import java.util.Locale;

/** The {@code --reward} choice: reward model, judge, or both. */
public enum RewardMode {
    /** The learned reward model's score. */
    RM("rm", RewardSource.RM),
    /** The default task's exact right / refuse / wrong reward. */
    JUDGE("judge", RewardSource.JUDGE),
    /** A weighted sum of the two. */
    RM_AND_JUDGE("rm+judge", RewardSource.RM_AND_JUDGE);

    private final String option;
    private final RewardSource source;

    RewardMode(String option, RewardSource source) {
        this.option = option;
        this.source = source;
    }

    /** Parses {@code rm}, {@code judge} or {@code rm+judge}. */
    public static RewardMode parse(String option) {
        String o = option == null ? "" : option.trim().toLowerCase(Locale.ROOT);
        for (RewardMode mode : values()) {
            if (mode.option.equals(o)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("--reward must be rm, judge or rm+judge, got '" + option + "'");
    }

    /** The option text, e.g. {@code rm+judge}. */
    public String option() {
        return option;
    }

    /** What a scored rollout records as its reward source. */
    public RewardSource source() {
        return source;
    }

    /** Whether the reward model is scored. */
    public boolean usesRewardModel() {
        return this != JUDGE;
    }

    /** Whether the judge is consulted. */
    public boolean usesJudge() {
        return this != RM;
    }
}
