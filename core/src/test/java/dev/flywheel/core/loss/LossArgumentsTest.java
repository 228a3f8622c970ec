package dev.flywheel.core.loss;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** Bad calls fail with a message that names what is wrong. */
class LossArgumentsTest {

    @Test
    void mismatchedShapesAreRejectedNamingBothShapes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray four = manager.zeros(new Shape(4));
            NDArray column = manager.zeros(new Shape(4, 1));
            assertThatThrownBy(() -> Losses.bradleyTerry(four, column, 0f))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("chosen shape (4)")
                    .hasMessageContaining("rejected shape (4, 1)");
            assertThatThrownBy(() -> Losses.dpo(four, four, four, column, 0.1f, 0f))
                    .hasMessageContaining("refRejected shape (4, 1)");
            NDArray tokens = manager.zeros(new Shape(2, 5));
            NDArray shorter = manager.zeros(new Shape(2, 4));
            assertThatThrownBy(() -> Losses.ppoClip(tokens, tokens, shorter, 0.2f))
                    .hasMessageContaining("logp shape (2, 5)")
                    .hasMessageContaining("advantages shape (2, 4)");
            assertThatThrownBy(() -> Losses.gae(tokens, tokens, shorter, 1f, 1f))
                    .hasMessageContaining("mask shape (2, 4)");
            assertThatThrownBy(() -> Losses.maskedMean(tokens, shorter))
                    .hasMessageContaining("x shape (2, 5)");
        }
    }

    @Test
    void nonFloat32InputsAreRejectedWithTheConversionToUse() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray doubles = manager.zeros(new Shape(3), DataType.FLOAT64);
            NDArray floats = manager.zeros(new Shape(3));
            assertThatThrownBy(() -> Losses.klK1(doubles, floats))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("logp must be float32 but is float64")
                    .hasMessageContaining("toType(DataType.FLOAT32, false)");
        }
    }

    @Test
    void outOfRangeCoefficientsAreRejectedNamingTheParameter() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray pairs = manager.zeros(new Shape(3));
            NDArray tokens = manager.zeros(new Shape(1, 3));
            assertThatThrownBy(() -> Losses.dpo(pairs, pairs, pairs, pairs, 0f, 0f)).hasMessageContaining("beta");
            assertThatThrownBy(() -> Losses.dpo(pairs, pairs, pairs, pairs, 0.1f, 0.7f))
                    .hasMessageContaining("labelSmoothing");
            assertThatThrownBy(() -> Losses.ipo(pairs, pairs, pairs, pairs, -1f)).hasMessageContaining("beta");
            assertThatThrownBy(() -> Losses.bradleyTerry(pairs, pairs, Float.NaN)).hasMessageContaining("margin");
            assertThatThrownBy(() -> Losses.ppoClip(pairs, pairs, pairs, 1.5f)).hasMessageContaining("clipEps");
            assertThatThrownBy(() -> Losses.valueLoss(pairs, pairs, pairs, 0f)).hasMessageContaining("clipEps");
            assertThatThrownBy(() -> Losses.gae(tokens, tokens, tokens, 1.1f, 0.9f)).hasMessageContaining("gamma");
            assertThatThrownBy(() -> Losses.gae(pairs, pairs, pairs, 1f, 0.9f))
                    .hasMessageContaining("rewards must have shape (B, T)");
            assertThatThrownBy(() -> Losses.groupAdvantages(pairs, "grpo"))
                    .hasMessageContaining("(G prompts, n samples)");
        }
    }
}
