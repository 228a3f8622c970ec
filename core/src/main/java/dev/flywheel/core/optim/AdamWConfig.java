package dev.flywheel.core.optim;

/**
 * Hyper-parameters of {@link AdamW}.
 *
 * @param beta1        first-moment decay
 * @param beta2        second-moment decay
 * @param epsilon      added to the root second moment
 * @param weightDecay  decoupled decay, applied to parameters of rank 2 or more (weight matrices, embeddings), not to
 *                     biases or LayerNorm gains
 * @param maxGradNorm  global L2 norm the gradients are clipped to; {@code Float.POSITIVE_INFINITY} disables it
 */
public record AdamWConfig(float beta1, float beta2, float epsilon, float weightDecay, float maxGradNorm) {

    /** Validates every field. */
    public AdamWConfig {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("epsilon must be > 0, got " + epsilon);
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("weightDecay must be >= 0, got " + weightDecay);
        }
        if (!(maxGradNorm > 0)) {
            throw new IllegalArgumentException("maxGradNorm must be > 0 (infinity disables clipping), got "
                    + maxGradNorm);
        }
    }

    /** β = (0.9, 0.95), ε = 1e-8, weight decay 0.01, clip at global norm 1.0. */
    public static AdamWConfig defaults() {
        return new AdamWConfig(0.9f, 0.95f, 1e-8f, 0.01f, 1.0f);
    }

    /** Same config with another clipping norm. */
    public AdamWConfig withMaxGradNorm(float norm) {
        return new AdamWConfig(beta1, beta2, epsilon, weightDecay, norm);
    }

    /** Same config with another weight decay. */
    public AdamWConfig withWeightDecay(float decay) {
        return new AdamWConfig(beta1, beta2, epsilon, decay, maxGradNorm);
    }
}
