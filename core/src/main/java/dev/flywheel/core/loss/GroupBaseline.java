package dev.flywheel.core.loss;

import static dev.flywheel.core.loss.LossArguments.requireFloat32;
import static dev.flywheel.core.loss.LossArguments.requireRank;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Critic-free baselines over the n samples of one prompt: each sample's advantage is its reward compared
 * with the other samples of its group. Computed on the host in float64 (rewards are never differentiated).
 */
public enum GroupBaseline {

    /** GRPO: (r − group mean) / (population std of the group + 1e-6). */
    GRPO("grpo", 1) {
        @Override
        void fillGroup(float[] rewards, int offset, int n, float[] out) {
            double mean = mean(rewards, offset, n);
            double squares = 0;
            for (int i = offset; i < offset + n; i++) {
                squares += (rewards[i] - mean) * (rewards[i] - mean);
            }
            double std = Math.sqrt(squares / n);
            for (int i = offset; i < offset + n; i++) {
                out[i] = (float) ((rewards[i] - mean) / (std + STD_EPSILON));
            }
        }
    },

    /** RLOO: r − mean of the other n − 1 rewards of the group (leave-one-out, unbiased). */
    RLOO("rloo", 2) {
        @Override
        void fillGroup(float[] rewards, int offset, int n, float[] out) {
            double sum = mean(rewards, offset, n) * n;
            for (int i = offset; i < offset + n; i++) {
                out[i] = (float) (rewards[i] - (sum - rewards[i]) / (n - 1));
            }
        }
    };

    /** Keeps a group of identical rewards at advantage 0 instead of 0/0. */
    private static final double STD_EPSILON = 1e-6;

    private final String kind;
    private final int minSamples;

    GroupBaseline(String kind, int minSamples) {
        this.kind = kind;
        this.minSamples = minSamples;
    }

    /** The baseline configured as {@code kind} ("grpo" or "rloo"). */
    public static GroupBaseline named(String kind) {
        for (GroupBaseline baseline : values()) {
            if (baseline.kind.equals(kind)) {
                return baseline;
            }
        }
        throw new IllegalArgumentException("unknown group advantage kind '" + kind + "'; allowed kinds: "
                + Arrays.stream(values()).map(GroupBaseline::kind).collect(Collectors.joining(", ")));
    }

    /** The configuration name of this baseline. */
    public String kind() {
        return kind;
    }

    /** Advantages for a (G, n) float32 reward matrix, same shape, in the manager of {@code rewards}. */
    public NDArray advantages(NDArray rewards) {
        requireFloat32("rewards", rewards);
        requireRank("rewards", rewards, 2, "(G prompts, n samples)");
        Shape shape = rewards.getShape();
        int groups = Math.toIntExact(shape.get(0));
        int n = Math.toIntExact(shape.get(1));
        if (n < minSamples) {
            throw new IllegalArgumentException(kind + " needs at least " + minSamples
                    + " samples per prompt but rewards has shape " + shape + " (n = " + n + ")");
        }
        float[] values = rewards.toFloatArray();
        float[] out = new float[values.length];
        for (int group = 0; group < groups; group++) {
            fillGroup(values, group * n, n, out);
        }
        return rewards.getManager().create(out, shape);
    }

    /** Advantages of one group's rewards (groups of a batch may differ in size), on the host. */
    public float[] advantagesOf(float[] groupRewards) {
        if (groupRewards.length < minSamples) {
            throw new IllegalArgumentException(kind + " needs at least " + minSamples + " samples per prompt, got "
                    + groupRewards.length);
        }
        float[] out = new float[groupRewards.length];
        fillGroup(groupRewards, 0, groupRewards.length, out);
        return out;
    }

    abstract void fillGroup(float[] rewards, int offset, int n, float[] out);

    private static double mean(float[] rewards, int offset, int n) {
        double sum = 0;
        for (int i = offset; i < offset + n; i++) {
            sum += rewards[i];
        }
        return sum / n;
    }
}
