package dev.flywheel.scorer.kl;

/**
 * The per-token KL of a sampled response to the reference, from two arrays of log-probabilities of the same tokens.
 *
 * <p>Computed in double and stored as float: k3 = exp(d) − d − 1 with d = ref − logp is evaluated as
 * {@code expm1(d) − d}, which keeps full precision near d = 0, where a policy close to its reference lives.
 *
 * @param k1 per-token k1 = logp − ref (unbiased, may be negative)
 * @param k3 per-token k3 = (ρ − 1) − log ρ with ρ = exp(ref − logp) (unbiased, never negative)
 * @param sequenceKl the sum of k1 over the response
 */
public record TokenKl(float[] k1, float[] k3, double sequenceKl) {

    /** KL estimates of the tokens whose behaviour log-probs are {@code logp} and reference log-probs {@code ref}. */
    public static TokenKl of(float[] logp, float[] ref) {
        if (logp.length != ref.length) {
            throw new IllegalArgumentException("behaviour and reference log-probs must cover the same tokens, got "
                    + logp.length + " and " + ref.length);
        }
        float[] k1 = new float[logp.length];
        float[] k3 = new float[logp.length];
        double sum = 0;
        for (int t = 0; t < logp.length; t++) {
            double diff = (double) logp[t] - ref[t];
            double d = -diff;
            k1[t] = (float) diff;
            k3[t] = (float) Math.max(0.0, Math.expm1(d) - d);
            sum += diff;
        }
        return new TokenKl(k1, k3, sum);
    }

    /**
     * InstructGPT's per-token PPO reward: −β·k1 on every token, plus {@code finalReward} (already clipped) on the
     * last one.
     */
    public float[] shapedRewards(double beta, double finalReward) {
        float[] shaped = new float[k1.length];
        for (int t = 0; t < k1.length; t++) {
            shaped[t] = (float) (-beta * k1[t]);
        }
        if (shaped.length > 0) {
            int last = shaped.length - 1;
            shaped[last] = (float) (-beta * k1[last] + finalReward);
        }
        return shaped;
    }
}
