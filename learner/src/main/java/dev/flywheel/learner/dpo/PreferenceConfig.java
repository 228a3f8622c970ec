package dev.flywheel.learner.dpo;

/**
 * Hyper-parameters of DPO, IPO and the reward-model refresh.
 *
 * @param loss           {@code "dpo"}, {@code "ipo"} or {@code "bradley-terry"} (reward model)
 * @param learningRate   Adam step size
 * @param beta           DPO / IPO β: how far from the reference the implicit reward may pull the policy
 * @param labelSmoothing assumed probability that a preference label is flipped (conservative DPO)
 * @param epochs         passes over each batch
 * @param miniBatches    optimizer steps per pass
 * @param maxGradNorm    global gradient-norm clip
 */
public record PreferenceConfig(String loss, float learningRate, float beta, float labelSmoothing, int epochs,
                               int miniBatches, float maxGradNorm) {

    /** Validates each field and names the flag that sets it. */
    public PreferenceConfig {
        if (!loss.equals("dpo") && !loss.equals("ipo") && !loss.equals("bradley-terry")) {
            throw new IllegalArgumentException("preference loss must be dpo, ipo or bradley-terry, got " + loss);
        }
        if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
            throw new IllegalArgumentException("--learning-rate must be > 0, got " + learningRate);
        }
        if (!(beta > 0)) {
            throw new IllegalArgumentException("--beta must be > 0, got " + beta);
        }
        if (labelSmoothing < 0 || labelSmoothing >= 0.5) {
            throw new IllegalArgumentException("--label-smoothing must be in [0, 0.5), got " + labelSmoothing);
        }
        if (epochs < 1 || miniBatches < 1) {
            throw new IllegalArgumentException("--epochs and --mini-batches must be at least 1, got " + epochs
                    + " and " + miniBatches);
        }
    }

    /** DPO defaults. */
    public static PreferenceConfig dpo() {
        return new PreferenceConfig("dpo", 5e-5f, 0.1f, 0f, 1, 1, 1f);
    }

    /** IPO defaults. */
    public static PreferenceConfig ipo() {
        return new PreferenceConfig("ipo", 5e-5f, 0.1f, 0f, 1, 1, 1f);
    }

    /** Reward-model refresh defaults. */
    public static PreferenceConfig rewardModel() {
        return new PreferenceConfig("bradley-terry", 2e-5f, 1f, 0f, 1, 1, 1f);
    }
}
