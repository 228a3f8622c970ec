package dev.flywheel.scorer.reward;

import dev.flywheel.core.task.TruthfulnessReward;
import java.util.Objects;

/**
 * How the scalar reward is made: {@code rmWeight·rm + judgeWeight·judge} over the components the mode uses, and
 * the bound it is clipped to before it enters the last token's shaped reward.
 *
 * @param mode        which components are used
 * @param rmWeight    weight of the reward-model score in {@code rm+judge}
 * @param judgeWeight weight of the judge's reward in {@code rm+judge}
 * @param clip        the shaped reward's last-token term is clipped to [−clip, clip]
 * @param judge       rewards of right / refuse / wrong
 */
public record RewardRecipe(RewardMode mode, double rmWeight, double judgeWeight, double clip, TruthfulnessReward judge) {

    /** Checks weights and the clip are usable. */
    public RewardRecipe {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(judge, "judge");
        if (!(clip > 0) || Double.isNaN(clip)) {
            throw new IllegalArgumentException("--reward-clip must be > 0, got " + clip);
        }
        if (!Double.isFinite(rmWeight) || !Double.isFinite(judgeWeight) || rmWeight < 0 || judgeWeight < 0
                || (mode == RewardMode.RM_AND_JUDGE && rmWeight + judgeWeight == 0)) {
            throw new IllegalArgumentException("--rm-weight and --judge-weight must be finite, >= 0 and not both 0, got "
                    + rmWeight + " and " + judgeWeight);
        }
    }

    /** Reward-model score only, clipped to ±5, with the default judge rewards. */
    public static RewardRecipe rewardModel() {
        return of(RewardMode.RM);
    }

    /** The given mode with equal weights 0.5 / 0.5, clip 5 and the default judge rewards. */
    public static RewardRecipe of(RewardMode mode) {
        return new RewardRecipe(mode, 0.5, 0.5, 5.0, TruthfulnessReward.DEFAULT);
    }

    /** The same recipe with other weights for {@code rm+judge}. */
    public RewardRecipe withWeights(double newRmWeight, double newJudgeWeight) {
        return new RewardRecipe(mode, newRmWeight, newJudgeWeight, clip, judge);
    }

    /** The same recipe with another clip bound. */
    public RewardRecipe withClip(double newClip) {
        return new RewardRecipe(mode, rmWeight, judgeWeight, newClip, judge);
    }

    /** The scalar reward; {@code rm} is ignored unless the mode uses it, and {@code judgeReward} likewise. */
    public double combine(double rm, double judgeReward) {
        return switch (mode) {
            case RM -> rm;
            case JUDGE -> judgeReward;
            case RM_AND_JUDGE -> rmWeight * rm + judgeWeight * judgeReward;
        };
    }

    /** {@code reward} clipped to [−clip, clip]. */
    public double clipped(double reward) {
        return Math.max(-clip, Math.min(clip, reward));
    }
}
