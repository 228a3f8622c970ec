package dev.flywheel.monitor.dashboard;

import java.util.List;

/** The fw.metrics series the dashboard charts; points of other series are counted but not kept. */
public final class DashboardSeries {

    /** Mean reward of the scorer's window, per policy version. */
    public static final String REWARD = "scorer.reward.mean";
    /** Mean sequence KL to the reference of the scorer's window, per policy version. */
    public static final String KL = "scorer.kl.mean";
    /** Share of judged rollouts the task's judge found right. */
    public static final String RIGHT_RATE = "scorer.judge.right_rate";
    /** Share of judged rollouts that abstained ("I don't know"). */
    public static final String REFUSE_RATE = "scorer.judge.refuse_rate";
    /** Share of judged rollouts that answered wrongly (hallucinations). */
    public static final String WRONG_RATE = "scorer.judge.wrong_rate";
    /** The learner's mean reward per training interval. */
    public static final String LEARNER_REWARD = "learner.reward_mean";
    /** The learner's KL to the reference per training interval. */
    public static final String LEARNER_KL = "learner.kl";

    /** Every charted series, in the page's order. */
    public static final List<String> ALL = List.of(REWARD, KL, RIGHT_RATE, REFUSE_RATE, WRONG_RATE, LEARNER_REWARD,
            LEARNER_KL);

    private DashboardSeries() {
    }
}
