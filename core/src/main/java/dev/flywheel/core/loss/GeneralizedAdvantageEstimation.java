package dev.flywheel.core.loss;

import static dev.flywheel.core.loss.LossArguments.requireRank;
import static dev.flywheel.core.loss.LossArguments.requireSameShape;
import static dev.flywheel.core.loss.LossArguments.requireWithin;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * GAE (Schulman et al. 2016) per sequence: δ_t = r_t + γV_{t+1} − V_t, A_t = δ_t + γλA_{t+1}.
 *
 * <p>Mask rules: positions with mask 0 get advantage 0 and return 0 and are skipped by the recursion, so
 * "t+1" means the next position whose mask is 1; after the last such position V and A are 0. Prompt
 * tokens before the response, right padding, and holes in between are therefore all handled the same way.
 * Advantages are not differentiated, so the recursion runs on the host in float64.
 */
final class GeneralizedAdvantageEstimation {

    private GeneralizedAdvantageEstimation() {
    }

    /** Returns {advantages, returns}, (B, T) float32 each, in the manager of {@code rewards}. */
    static NDArray[] estimate(NDArray rewards, NDArray values, NDArray mask, float gamma, float lambda) {
        requireSameShape("rewards", rewards, "values", values);
        requireSameShape("rewards", rewards, "mask", mask);
        requireRank("rewards", rewards, 2, "(B, T)");
        requireWithin("gamma", gamma, 0, 1);
        requireWithin("lambda", lambda, 0, 1);
        Shape shape = rewards.getShape();
        int batch = Math.toIntExact(shape.get(0));
        int length = Math.toIntExact(shape.get(1));
        float[] r = rewards.toFloatArray();
        float[] v = values.toFloatArray();
        float[] m = mask.toFloatArray();
        requireBinary(m, length);
        float[] advantages = new float[r.length];
        float[] returns = new float[r.length];
        for (int row = 0; row < batch; row++) {
            estimateRow(row * length, length, r, v, m, gamma, lambda, advantages, returns);
        }
        NDManager manager = rewards.getManager();
        return new NDArray[] {manager.create(advantages, shape), manager.create(returns, shape)};
    }

    private static void estimateRow(int offset, int length, float[] r, float[] v, float[] m, double gamma,
            double lambda, float[] advantages, float[] returns) {
        double nextValue = 0;
        double nextAdvantage = 0;
        for (int k = offset + length - 1; k >= offset; k--) {
            if (m[k] == 0) {
                continue;
            }
            double delta = r[k] + gamma * nextValue - v[k];
            double advantage = delta + gamma * lambda * nextAdvantage;
            advantages[k] = (float) advantage;
            returns[k] = (float) (advantage + v[k]);
            nextValue = v[k];
            nextAdvantage = advantage;
        }
    }

    private static void requireBinary(float[] mask, int length) {
        for (int k = 0; k < mask.length; k++) {
            if (mask[k] != 0 && mask[k] != 1) {
                throw new IllegalArgumentException("mask must hold only 0 (ignore) and 1 (response token), found "
                        + mask[k] + " at [" + k / length + ", " + k % length + "]");
            }
        }
    }
}
