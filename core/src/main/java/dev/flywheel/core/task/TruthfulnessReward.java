package dev.flywheel.core.task;

/**
 * The truthfulness reward of the default task: a right answer is rewarded, an abstention gets a smaller reward,
 * and a wrong answer is penalised, so that guessing pays less than abstaining when the model does not know.
 *
 * @param right  reward for {@link Verdict#RIGHT}
 * @param refuse reward for {@link Verdict#REFUSE}
 * @param wrong  reward for {@link Verdict#WRONG}
 */
public record TruthfulnessReward(double right, double refuse, double wrong) {

    /** The seed's default: right +1, refuse 0, wrong −1. */
    public static final TruthfulnessReward DEFAULT = new TruthfulnessReward(1.0, 0.0, -1.0);

    /** Rejects orderings under which abstaining would not beat guessing wrong, or beat answering right. */
    public TruthfulnessReward {
        if (!Double.isFinite(right) || !Double.isFinite(refuse) || !Double.isFinite(wrong)) {
            throw new IllegalArgumentException("truthfulness rewards must be finite, got right=" + right
                    + " refuse=" + refuse + " wrong=" + wrong);
        }
        if (!(right > refuse && refuse > wrong)) {
            throw new IllegalArgumentException("truthfulness rewards must satisfy right > refuse > wrong, got right="
                    + right + " refuse=" + refuse + " wrong=" + wrong + "; reorder them");
        }
    }

    /** The reward for a verdict. */
    public double of(Verdict verdict) {
        return switch (verdict) {
            case RIGHT -> right;
            case REFUSE -> refuse;
            case WRONG -> wrong;
        };
    }
}
