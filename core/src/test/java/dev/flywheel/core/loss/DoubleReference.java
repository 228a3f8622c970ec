package dev.flywheel.core.loss;

import java.util.stream.IntStream;

/**
 * An independent float64 implementation of every loss, written as plain loops from the textbook formulas,
 * against which the NDArray implementations are checked.
 */
final class DoubleReference {

    private DoubleReference() {
    }

    /** −log σ(x), evaluated without overflow in either tail. */
    static double negLogSigmoid(double x) {
        return x >= 0 ? Math.log1p(Math.exp(-x)) : -x + Math.log1p(Math.exp(x));
    }

    static double[] bradleyTerry(double[] chosen, double[] rejected, double margin) {
        double[] out = new double[chosen.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = negLogSigmoid(chosen[i] - rejected[i] - margin);
        }
        return out;
    }

    static double[] dpo(double[] pc, double[] pr, double[] rc, double[] rr, double beta, double smoothing) {
        double[] out = new double[pc.length];
        for (int i = 0; i < out.length; i++) {
            double z = (pc[i] - pr[i]) - (rc[i] - rr[i]);
            out[i] = (1 - smoothing) * negLogSigmoid(beta * z) + smoothing * negLogSigmoid(-beta * z);
        }
        return out;
    }

    static double[] ipo(double[] pc, double[] pr, double[] rc, double[] rr, double beta) {
        double[] out = new double[pc.length];
        for (int i = 0; i < out.length; i++) {
            double z = (pc[i] - pr[i]) - (rc[i] - rr[i]);
            double gap = z - 1 / (2 * beta);
            out[i] = gap * gap;
        }
        return out;
    }

    static double[] klK1(double[] logp, double[] ref) {
        double[] out = new double[logp.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = logp[i] - ref[i];
        }
        return out;
    }

    static double[] klK3(double[] logp, double[] ref) {
        double[] out = new double[logp.length];
        for (int i = 0; i < out.length; i++) {
            double d = ref[i] - logp[i];
            out[i] = Math.expm1(d) - d;
        }
        return out;
    }

    static double[] ppoClip(double[] logp, double[] old, double[] adv, double eps) {
        double[] out = new double[logp.length];
        for (int i = 0; i < out.length; i++) {
            double ratio = Math.exp(logp[i] - old[i]);
            double clipped = Math.min(Math.max(ratio, 1 - eps), 1 + eps);
            out[i] = -Math.min(ratio * adv[i], clipped * adv[i]);
        }
        return out;
    }

    static double[] valueLoss(double[] values, double[] old, double[] returns, double eps) {
        double[] out = new double[values.length];
        for (int i = 0; i < out.length; i++) {
            double unclipped = (values[i] - returns[i]) * (values[i] - returns[i]);
            double moved = old[i] + Math.min(Math.max(values[i] - old[i], -eps), eps);
            double clipped = (moved - returns[i]) * (moved - returns[i]);
            out[i] = 0.5 * Math.max(unclipped, clipped);
        }
        return out;
    }

    /**
     * GAE from its closed form A_t = Σ_l (γλ)^l δ_{t+l} over the unmasked positions of each row (no
     * recursion), flattened row-major; returns {advantages, returns}.
     */
    static double[][] gae(double[] rewards, double[] values, double[] mask, int length, double gamma,
            double lambda) {
        double[] advantages = new double[rewards.length];
        double[] returns = new double[rewards.length];
        for (int row = 0; row * length < rewards.length; row++) {
            int[] kept = unmaskedPositions(mask, row * length, length);
            double[] delta = new double[kept.length];
            for (int j = 0; j < kept.length; j++) {
                double next = j + 1 < kept.length ? values[kept[j + 1]] : 0;
                delta[j] = rewards[kept[j]] + gamma * next - values[kept[j]];
            }
            for (int j = 0; j < kept.length; j++) {
                double sum = 0;
                for (int l = 0; j + l < kept.length; l++) {
                    sum += Math.pow(gamma * lambda, l) * delta[j + l];
                }
                advantages[kept[j]] = sum;
                returns[kept[j]] = sum + values[kept[j]];
            }
        }
        return new double[][] {advantages, returns};
    }

    private static int[] unmaskedPositions(double[] mask, int offset, int length) {
        return IntStream.range(offset, offset + length).filter(k -> mask[k] == 1).toArray();
    }

    static double[] grpo(double[] rewards, int n) {
        double[] out = new double[rewards.length];
        for (int start = 0; start < rewards.length; start += n) {
            double mean = 0;
            for (int i = start; i < start + n; i++) {
                mean += rewards[i] / n;
            }
            double variance = 0;
            for (int i = start; i < start + n; i++) {
                variance += (rewards[i] - mean) * (rewards[i] - mean) / n;
            }
            for (int i = start; i < start + n; i++) {
                out[i] = (rewards[i] - mean) / (Math.sqrt(variance) + 1e-6);
            }
        }
        return out;
    }

    static double[] rloo(double[] rewards, int n) {
        double[] out = new double[rewards.length];
        for (int start = 0; start < rewards.length; start += n) {
            for (int i = start; i < start + n; i++) {
                double others = 0;
                for (int j = start; j < start + n; j++) {
                    if (j != i) {
                        others += rewards[j];
                    }
                }
                out[i] = rewards[i] - others / (n - 1);
            }
        }
        return out;
    }

    static double maskedMean(double[] x, double[] mask) {
        double sum = 0;
        double count = 0;
        for (int i = 0; i < x.length; i++) {
            sum += x[i] * mask[i];
            count += mask[i];
        }
        return sum / Math.max(count, 1);
    }

    static double sum(double[] values) {
        double total = 0;
        for (double value : values) {
            total += value;
        }
        return total;
    }
}
