package dev.flywheel.core.loss;

import static dev.flywheel.core.loss.LossArguments.requireFinite;
import static dev.flywheel.core.loss.LossArguments.requirePositive;
import static dev.flywheel.core.loss.LossArguments.requireSameShape;
import static dev.flywheel.core.loss.LossArguments.requireWithin;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;

/**
 * The RLHF losses of DESIGN.md §4 on float32 NDArrays, each returning the unreduced per-element loss.
 *
 * <p>Every result and every intermediate array (including scalar constants) is attached to the manager of
 * the first input, so call these inside a per-step {@code NDManager} scope and close it after
 * {@code backward}. Scalars are created as arrays in that manager rather than passed as {@code Number}: the
 * PyTorch engine frees a {@code Number} operand's buffer right after the op while autograd still reads it,
 * which makes gradients differ from run to run.
 */
public final class Losses {

    /**
     * Below this |ref − logp| k3 is evaluated by its Taylor series: exp(d) − d − 1 cancels catastrophically
     * in float32 near 0, which is exactly the regime of a policy kept close to its reference.
     */
    private static final float K3_SERIES_RADIUS = 0.5f;

    /** 1/k! for k = 8 down to 2: the Horner coefficients of exp(d) − d − 1 = Σ_{k≥2} d^k / k!. */
    private static final double[] K3_SERIES = {
        1.0 / 40320, 1.0 / 5040, 1.0 / 720, 1.0 / 120, 1.0 / 24, 1.0 / 6, 1.0 / 2
    };

    private Losses() {
    }

    /**
     * Bradley–Terry reward-model loss −log σ(chosen − rejected − margin), shape of the inputs (B).
     *
     * @param chosen reward of the preferred response per pair
     * @param rejected reward of the other response per pair
     * @param margin how far the chosen reward must exceed the rejected one before the loss flattens (0 for plain BT)
     */
    public static NDArray bradleyTerry(NDArray chosen, NDArray rejected, float margin) {
        requireSameShape("chosen", chosen, "rejected", rejected);
        requireFinite("margin", margin);
        // −log σ(x) = softplus(−x), which stays finite and exact where log(sigmoid(x)) underflows.
        return softplus(rejected.add(scalar(chosen, margin)).sub(chosen));
    }

    /**
     * DPO loss −(1−ε)·log σ(βz) − ε·log σ(−βz) with z = (pc − pr) − (rc − rr), shape (B).
     *
     * <p>Inputs are summed response log-probabilities of the chosen and rejected responses under the policy
     * and the frozen reference. {@code labelSmoothing} ε is the assumed probability that a preference label is
     * flipped (conservative DPO); 0 gives the original DPO loss.
     */
    public static NDArray dpo(NDArray policyChosen, NDArray policyRejected, NDArray refChosen,
            NDArray refRejected, float beta, float labelSmoothing) {
        NDArray z = preferenceLogRatio(policyChosen, policyRejected, refChosen, refRejected);
        requirePositive("beta", beta);
        requireWithin("labelSmoothing", labelSmoothing, 0, 0.5);
        NDArray scaled = z.mul(scalar(z, beta));
        NDArray believed = softplus(scaled.neg()).mul(scalar(z, 1 - labelSmoothing));
        NDArray flipped = softplus(scaled).mul(scalar(z, labelSmoothing));
        return believed.add(flipped);
    }

    /**
     * IPO loss (z − 1/(2β))² with z as in {@link #dpo}, shape (B): regresses the log-ratio margin to a
     * finite target instead of pushing it to infinity.
     */
    public static NDArray ipo(NDArray policyChosen, NDArray policyRejected, NDArray refChosen,
            NDArray refRejected, float beta) {
        NDArray z = preferenceLogRatio(policyChosen, policyRejected, refChosen, refRejected);
        requirePositive("beta", beta);
        return z.sub(scalar(z, 1.0 / (2.0 * beta))).square();
    }

    /** Per-token KL estimator k1 = logp − refLogp on sampled tokens, shape (B, T); unbiased, can be negative. */
    public static NDArray klK1(NDArray logp, NDArray refLogp) {
        requireSameShape("logp", logp, "refLogp", refLogp);
        return logp.sub(refLogp);
    }

    /**
     * Per-token KL estimator k3 = exp(d) − d − 1 with d = refLogp − logp, shape (B, T); unbiased and never
     * negative. Accurate to float32 precision also when the policy is very close to the reference.
     */
    public static NDArray klK3(NDArray logp, NDArray refLogp) {
        requireSameShape("logp", logp, "refLogp", refLogp);
        NDArray d = refLogp.sub(logp);
        NDArray direct = d.exp().sub(d).sub(scalar(d, 1));
        NDArray radius = scalar(d, K3_SERIES_RADIUS);
        // Clamped so the branch that where() discards stays finite and cannot leak NaN into the gradient.
        NDArray near = d.maximum(radius.neg()).minimum(radius);
        NDArray polynomial = scalar(d, K3_SERIES[0]);
        for (int k = 1; k < K3_SERIES.length; k++) {
            polynomial = polynomial.mul(near).add(scalar(d, K3_SERIES[k]));
        }
        NDArray series = polynomial.mul(near).mul(near);
        return NDArrays.where(d.abs().lt(radius), series, direct);
    }

    /**
     * PPO clipped surrogate −min(ρA, clip(ρ, 1−ε, 1+ε)·A) with ρ = exp(logp − oldLogp), shape (B, T).
     * Padding positions must hold finite log-probs (0 is fine), since ρ·0 is NaN once ρ overflows.
     */
    public static NDArray ppoClip(NDArray logp, NDArray oldLogp, NDArray advantages, float clipEps) {
        requireSameShape("logp", logp, "oldLogp", oldLogp);
        requireSameShape("logp", logp, "advantages", advantages);
        if (!(clipEps > 0 && clipEps < 1)) {
            throw new IllegalArgumentException("clipEps must be in (0, 1), got " + clipEps
                    + "; the ratio is clipped to [1 - clipEps, 1 + clipEps]");
        }
        NDArray ratio = logp.sub(oldLogp).exp();
        NDArray clippedRatio = clip(ratio, 1.0 - clipEps, 1.0 + clipEps);
        return ratio.mul(advantages).minimum(clippedRatio.mul(advantages)).neg();
    }

    /**
     * Clipped value loss 0.5·max((V − R)², (V_old + clip(V − V_old, ±ε) − R)²), shape (B, T).
     *
     * @param values value-head predictions now (differentiated)
     * @param oldValues value-head predictions when the rollout was scored
     * @param returns GAE returns, the regression target
     * @param clipEps how far the new prediction may move from the old one before its gradient is cut
     */
    public static NDArray valueLoss(NDArray values, NDArray oldValues, NDArray returns, float clipEps) {
        requireSameShape("values", values, "oldValues", oldValues);
        requireSameShape("values", values, "returns", returns);
        requirePositive("clipEps", clipEps);
        NDArray unclipped = values.sub(returns).square();
        NDArray step = clip(values.sub(oldValues), -clipEps, clipEps);
        NDArray clipped = oldValues.add(step).sub(returns).square();
        return unclipped.maximum(clipped).mul(scalar(values, 0.5));
    }

    /**
     * Generalized advantage estimation over (B, T) rewards, values and a 0/1 response mask; returns
     * {advantages, returns}. See {@link GeneralizedAdvantageEstimation} for the exact mask rules.
     */
    public static NDArray[] gae(NDArray rewards, NDArray values, NDArray mask, float gamma, float lambda) {
        return GeneralizedAdvantageEstimation.estimate(rewards, values, mask, gamma, lambda);
    }

    /**
     * Critic-free advantages from a (G, n) reward matrix holding n samples for each of G prompts.
     *
     * @param kind {@code "grpo"} or {@code "rloo"}, see {@link GroupBaseline}
     */
    public static NDArray groupAdvantages(NDArray rewards, String kind) {
        return GroupBaseline.named(kind).advantages(rewards);
    }

    /**
     * sum(x·mask) / max(sum(mask), 1) as a scalar, for a 0/1 mask of the same shape as x.
     * An all-zero mask gives 0 (not NaN), so an empty batch contributes no loss and no gradient.
     */
    public static NDArray maskedMean(NDArray x, NDArray mask) {
        requireSameShape("x", x, "mask", mask);
        NDArray count = mask.sum().maximum(scalar(mask, 1));
        return x.mul(mask).sum().div(count);
    }

    private static NDArray preferenceLogRatio(NDArray policyChosen, NDArray policyRejected, NDArray refChosen,
            NDArray refRejected) {
        requireSameShape("policyChosen", policyChosen, "policyRejected", policyRejected);
        requireSameShape("policyChosen", policyChosen, "refChosen", refChosen);
        requireSameShape("policyChosen", policyChosen, "refRejected", refRejected);
        return policyChosen.sub(policyRejected).sub(refChosen.sub(refRejected));
    }

    /** softplus(x) = log(1 + exp(x)); PyTorch's kernel switches to x itself for large x, so it never overflows. */
    private static NDArray softplus(NDArray x) {
        return x.getNDArrayInternal().softPlus();
    }

    private static NDArray clip(NDArray x, double low, double high) {
        return x.maximum(scalar(x, low)).minimum(scalar(x, high));
    }

    private static NDArray scalar(NDArray like, double value) {
        return like.getManager().create((float) value);
    }
}
