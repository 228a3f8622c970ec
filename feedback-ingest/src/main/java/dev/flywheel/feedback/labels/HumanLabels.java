package dev.flywheel.feedback.labels;

import dev.flywheel.schemas.Feedback;
import dev.flywheel.schemas.RewardSource;
import dev.flywheel.schemas.Rollout;
import dev.flywheel.schemas.ScoredRollout;
import java.util.List;
import java.util.Locale;

/**
 * One rater's THUMBS, RATING or ABSTAIN_OK on one response as a {@link ScoredRollout} with reward source HUMAN.
 *
 * <p>The label's id is {@code human:<rolloutId>:<raterId>:<kind>}, so a rater who changes their mind produces a
 * label with the same id (latest wins); it carries no KL (empty arrays, beta 0) because no model scored it.
 */
public final class HumanLabels {

    private HumanLabels() {
    }

    /** The human reward of a feedback value in [-1, 1]: thumbs and ABSTAIN_OK as they are, ratings 1..5 mapped linearly. */
    public static double reward(Feedback feedback) {
        return switch (feedback.getKind()) {
            case THUMBS, ABSTAIN_OK -> feedback.getValue();
            case RATING -> (feedback.getValue() - 3.0) / 2.0;
            default -> throw new IllegalArgumentException("feedback " + feedback.getId() + " of kind "
                    + feedback.getKind() + " is not a reward label: only THUMBS, RATING and ABSTAIN_OK are");
        };
    }

    /** The stable id of {@code feedback}'s label. */
    public static String id(Feedback feedback) {
        return "human:" + feedback.getResponseId() + ":" + feedback.getRaterId() + ":"
                + feedback.getKind().name().toLowerCase(Locale.ROOT);
    }

    /** The label of {@code feedback} about {@code rollout}. */
    public static ScoredRollout label(Feedback feedback, Rollout rollout) {
        double reward = reward(feedback);
        return ScoredRollout.newBuilder().setId(id(feedback)).setTs(feedback.getTs()).setRolloutId(rollout.getId())
                .setPromptId(rollout.getPromptId()).setPolicyVersion(rollout.getPolicyVersion()).setRollout(rollout)
                .setRewardSource(RewardSource.HUMAN).setHumanReward(reward).setFeedbackIds(List.of(feedback.getId()))
                .setReward(reward).setReferenceLogProbs(List.of()).setKlK1(List.of()).setKlK3(List.of())
                .setSequenceKl(0.0).setShapedRewards(List.of()).setBeta(0.0).build();
    }
}
