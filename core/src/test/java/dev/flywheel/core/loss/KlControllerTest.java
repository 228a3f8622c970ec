package dev.flywheel.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import org.junit.jupiter.api.Test;

/** The fixed and adaptive (Ziegler et al.) KL-coefficient controllers. */
class KlControllerTest {

    @Test
    void klAboveTargetRaisesBeta() {
        KlController controller = KlController.adaptive(0.1, 6.0, 10_000);
        // e = 7/6 − 1 = 1/6 (inside the clip): β·(1 + (1/6)·256/10000).
        double beta = controller.update(7.0, 256);
        assertThat(beta).isCloseTo(0.1 * (1 + (1.0 / 6) * 256 / 10_000), offset(1e-15));
        assertThat(controller.beta()).isEqualTo(beta);
    }

    @Test
    void klBelowTargetLowersBeta() {
        KlController controller = KlController.adaptive(0.1, 6.0, 10_000);
        // e = 5/6 − 1 = −1/6.
        assertThat(controller.update(5.0, 256)).isCloseTo(0.1 * (1 - (1.0 / 6) * 256 / 10_000), offset(1e-15));
    }

    @Test
    void klOnTargetLeavesBetaUnchanged() {
        KlController controller = KlController.adaptive(0.1, 6.0, 10_000);
        assertThat(controller.update(6.0, 256)).isEqualTo(0.1);
    }

    @Test
    void oneUpdateChangesBetaByAtMostTheTwentyPercentClip() {
        KlController raised = KlController.adaptive(0.1, 1.0, 1_000);
        KlController lowered = KlController.adaptive(0.1, 1.0, 1_000);
        // KL at 100× and at 0× the target are both clipped to |e| = 0.2: over a full horizon β moves by ±20 %.
        assertThat(raised.update(100.0, 1_000)).isCloseTo(0.12, offset(1e-15));
        assertThat(lowered.update(0.0, 1_000)).isCloseTo(0.08, offset(1e-15));
        // Over half the horizon the bound is ±10 %.
        assertThat(raised.update(1e9, 500)).isCloseTo(0.12 * 1.1, offset(1e-15));
    }

    @Test
    void repeatedHighKlCompoundsTowardLargerBeta() {
        KlController controller = KlController.adaptive(0.05, 0.5, 100);
        double previous = controller.beta();
        for (int step = 0; step < 20; step++) {
            double next = controller.update(2.0, 10);
            assertThat(next / previous).isCloseTo(1.02, offset(1e-12));
            previous = next;
        }
        assertThat(controller.beta()).isCloseTo(0.05 * Math.pow(1.02, 20), offset(1e-12));
    }

    @Test
    void fixedControllerKeepsBetaWhateverTheKl() {
        KlController controller = KlController.fixed(0.02);
        assertThat(controller.update(50.0, 1_000)).isEqualTo(0.02);
        assertThat(controller.update(0.0, 1_000)).isEqualTo(0.02);
        assertThat(controller.beta()).isEqualTo(0.02);
    }

    @Test
    void controllersRejectInvalidSettingsAndObservations() {
        assertThatThrownBy(() -> KlController.adaptive(0, 6, 100)).hasMessageContaining("initialBeta");
        assertThatThrownBy(() -> KlController.adaptive(0.1, -1, 100)).hasMessageContaining("targetKl");
        assertThatThrownBy(() -> KlController.adaptive(0.1, 6, 0)).hasMessageContaining("horizon");
        assertThatThrownBy(() -> KlController.fixed(Double.NaN)).hasMessageContaining("beta");
        KlController adaptive = KlController.adaptive(0.1, 6, 100);
        assertThatThrownBy(() -> adaptive.update(Double.NaN, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("observedKl");
        assertThatThrownBy(() -> adaptive.update(1, 101))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("horizon = 100");
        assertThat(adaptive.beta()).as("rejected updates leave beta alone").isEqualTo(0.1);
    }
}
