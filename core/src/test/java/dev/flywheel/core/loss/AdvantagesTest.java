package dev.flywheel.core.loss;

import static dev.flywheel.core.loss.Samples.assertClose;
import static dev.flywheel.core.loss.Samples.uniform;
import static dev.flywheel.core.loss.Samples.widen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** GAE, the GRPO/RLOO group baselines and the masked mean. */
class AdvantagesTest {

    private static final float GAMMA = 0.9f;
    private static final float LAMBDA = 0.8f;

    /**
     * r = (0, 0, 1), V = (0.5, 0.6, 0.7), γ = 0.9, λ = 0.8, γλ = 0.72:
     * δ2 = 1 − 0.7 = 0.3;  δ1 = 0.9·0.7 − 0.6 = 0.03;  δ0 = 0.9·0.6 − 0.5 = 0.04;
     * A2 = 0.3;  A1 = 0.03 + 0.72·0.3 = 0.246;  A0 = 0.04 + 0.72·0.246 = 0.21712.
     */
    private static final double[] HAND_ADVANTAGES = {0.21712, 0.246, 0.3};
    private static final double[] HAND_RETURNS = {0.71712, 0.846, 1.0};

    @Test
    void gaeOfThreeTokensMatchesTheHandComputation() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray[] out = Losses.gae(manager.create(new float[][] {{0f, 0f, 1f}}),
                    manager.create(new float[][] {{0.5f, 0.6f, 0.7f}}), manager.ones(new Shape(1, 3)), GAMMA, LAMBDA);
            assertThat(out[0].getShape()).isEqualTo(new Shape(1, 3));
            assertClose(out[0].toFloatArray(), HAND_ADVANTAGES, 1e-6, 1e-7);
            assertClose(out[1].toFloatArray(), HAND_RETURNS, 1e-6, 1e-7);
        }
    }

    @Test
    void gaeIgnoresPromptAndPaddingPositionsAndZeroesThem() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // The hand example surrounded by a masked prompt token and two padding tokens full of junk.
            NDArray rewards = manager.create(new float[][] {{9f, 0f, 0f, 1f, 9f, 9f}});
            NDArray values = manager.create(new float[][] {{9f, 0.5f, 0.6f, 0.7f, 9f, 9f}});
            NDArray mask = manager.create(new float[][] {{0f, 1f, 1f, 1f, 0f, 0f}});
            NDArray[] out = Losses.gae(rewards, values, mask, GAMMA, LAMBDA);
            assertClose(out[0].toFloatArray(), new double[] {0, 0.21712, 0.246, 0.3, 0, 0}, 1e-6, 1e-7);
            assertClose(out[1].toFloatArray(), new double[] {0, 0.71712, 0.846, 1.0, 0, 0}, 1e-6, 1e-7);
        }
    }

    @Test
    void gaeBridgesAHoleInTheMaskToTheNextResponseToken() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray rewards = manager.create(new float[][] {{0f, 5f, 0f, 1f}});
            NDArray values = manager.create(new float[][] {{0.5f, 5f, 0.6f, 0.7f}});
            NDArray mask = manager.create(new float[][] {{1f, 0f, 1f, 1f}});
            NDArray[] out = Losses.gae(rewards, values, mask, GAMMA, 0.5f);
            // δ = (0.04, 0.03, 0.3) as in the hand example; γλ = 0.45: A = (0.04 + 0.45·0.165, 0, 0.03 + 0.45·0.3, 0.3).
            assertClose(out[0].toFloatArray(), new double[] {0.11425, 0, 0.165, 0.3}, 1e-6, 1e-7);
        }
    }

    @Test
    void gaeMatchesTheClosedFormOnRandomRowsWithRaggedMasks() {
        Random random = new Random(31);
        int rows = 6;
        int length = 40;
        float[] rewards = uniform(random, rows * length, -1, 1);
        float[] values = uniform(random, rows * length, -1, 1);
        float[] mask = new float[rows * length];
        for (int row = 0; row < rows; row++) {
            int start = random.nextInt(10);
            int end = start + random.nextInt(length - start + 1);
            for (int t = start; t < end; t++) {
                mask[row * length + t] = 1;
            }
        }
        Shape shape = new Shape(rows, length);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray[] out = Losses.gae(manager.create(rewards, shape), manager.create(values, shape),
                    manager.create(mask, shape), 0.99f, 0.95f);
            double[][] expected = DoubleReference.gae(widen(rewards), widen(values), widen(mask), length, 0.99f, 0.95f);
            assertClose(out[0].toFloatArray(), expected[0], 1e-5, 1e-6);
            assertClose(out[1].toFloatArray(), expected[1], 1e-5, 1e-6);
        }
    }

    @Test
    void gaeRejectsAMaskThatIsNotZeroOrOne() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray zeros = manager.zeros(new Shape(2, 3));
            NDArray mask = manager.create(new float[][] {{1f, 1f, 1f}, {1f, 0.5f, 0f}});
            assertThatThrownBy(() -> Losses.gae(zeros, zeros, mask, GAMMA, LAMBDA))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("0.5 at [1, 1]");
        }
    }

    @Test
    void rlooOfTwoSamplesIsTheDifferenceToTheOther() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] advantages = Losses.groupAdvantages(manager.create(new float[][] {{1f, 3f}, {-1f, -1f}}), "rloo")
                    .toFloatArray();
            assertThat(advantages).containsExactly(-2f, 2f, 0f, 0f);
        }
    }

    @Test
    void grpoStandardisesEachGroupWithPopulationStd() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // Group (1, 3): mean 2, population std 1.  Group (5, 5, 5, 5) has std 0 and gets 0, not NaN.
            float[] first = Losses.groupAdvantages(manager.create(new float[][] {{1f, 3f}}), "grpo").toFloatArray();
            assertThat((double) first[0]).isCloseTo(-1 / (1 + 1e-6), offset(1e-7));
            assertThat((double) first[1]).isCloseTo(1 / (1 + 1e-6), offset(1e-7));
            float[] flat = Losses.groupAdvantages(manager.create(new float[][] {{5f, 5f, 5f, 5f}}), "grpo")
                    .toFloatArray();
            assertThat(flat).containsExactly(0f, 0f, 0f, 0f);
        }
    }

    @Test
    void groupAdvantagesMatchFloat64ReferenceOnRandomGroups() {
        Random random = new Random(32);
        int groups = 7;
        int n = 5;
        float[] rewards = uniform(random, groups * n, -2, 2);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray matrix = manager.create(rewards, new Shape(groups, n));
            assertClose(Losses.groupAdvantages(matrix, "grpo").toFloatArray(),
                    DoubleReference.grpo(widen(rewards), n), 1e-5, 1e-6);
            assertClose(Losses.groupAdvantages(matrix, "rloo").toFloatArray(),
                    DoubleReference.rloo(widen(rewards), n), 1e-5, 1e-6);
        }
    }

    @Test
    void groupAdvantagesRejectUnknownKindNamingTheAllowedOnes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray rewards = manager.zeros(new Shape(2, 4));
            assertThatThrownBy(() -> Losses.groupAdvantages(rewards, "ppo"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'ppo'")
                    .hasMessageContaining("grpo")
                    .hasMessageContaining("rloo");
        }
    }

    @Test
    void rlooRejectsASingleSamplePerPrompt() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray rewards = manager.zeros(new Shape(3, 1));
            assertThatThrownBy(() -> Losses.groupAdvantages(rewards, "rloo"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("at least 2 samples");
        }
    }

    @Test
    void maskedMeanAveragesOnlyTheMaskedElements() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(new float[][] {{1f, 2f}, {3f, 4f}});
            NDArray mask = manager.create(new float[][] {{1f, 0f}, {1f, 0f}});
            NDArray mean = Losses.maskedMean(x, mask);
            assertThat(mean.getShape()).isEqualTo(new Shape());
            assertThat(mean.getFloat()).isEqualTo(2f);
        }
    }

    @Test
    void maskedMeanOfAnEmptyMaskIsZero() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(new float[] {1f, 2f, 3f});
            assertThat(Losses.maskedMean(x, manager.zeros(x.getShape())).getFloat()).isZero();
        }
    }

    @Test
    void maskedMeanMatchesFloat64ReferenceOnRandomMasks() {
        Random random = new Random(33);
        float[] x = uniform(random, 300, -5, 5);
        float[] mask = new float[300];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = random.nextInt(3) == 0 ? 0f : 1f;
        }
        Shape shape = new Shape(10, 30);
        try (NDManager manager = NDManager.newBaseManager()) {
            float mean = Losses.maskedMean(manager.create(x, shape), manager.create(mask, shape)).getFloat();
            assertClose(new float[] {mean}, new double[] {DoubleReference.maskedMean(widen(x), widen(mask))}, 1e-5, 1e-6);
        }
    }
}
