package dev.flywheel.learner.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import ai.djl.Device;
import dev.flywheel.core.bootstrap.BootstrapOptions;
import dev.flywheel.core.bootstrap.ShippedModels;
import dev.flywheel.core.model.TransformerModel;
import dev.flywheel.core.store.ModelStore;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionEvaluatorTest {

    @TempDir
    Path dir;

    @Test
    void gradesEveryQuestionSeveralTimesWithTheSinglePassAsItsFirst() {
        ModelStore store = ShippedModels.install(dir);
        VersionEvaluator evaluator = VersionEvaluator.forTask(BootstrapOptions.SHIPPED_SEED);
        try (TransformerModel sft = store.loadRef("policy-v0").toModel(Device.cpu())) {
            Map<String, Double> once = evaluator.evaluate(sft, 1);
            Map<String, Double> fourTimes = evaluator.evaluate(sft);

            assertThat(VersionEvaluator.ANSWERS_PER_QUESTION).isEqualTo(4);
            assertThat(evaluator.evaluate(sft, 4)).isEqualTo(fourTimes);
            // 200 out-of-knowledge questions answered 4 times: every rate is a count out of 800.
            for (String verdict : new String[] {"right", "refuse", "wrong"}) {
                double out = fourTimes.get("eval.out." + verdict) * 800;
                assertThat(out).isCloseTo(Math.rint(out), offset(1e-6));
                double in = fourTimes.get("eval.in." + verdict) * 1200;
                assertThat(in).isCloseTo(Math.rint(in), offset(1e-6));
            }
            // The SFT policy guesses on names it never saw: one pass read 86% wrong; four agree within noise.
            assertThat(fourTimes.get("eval.out.wrong")).isBetween(once.get("eval.out.wrong") - 0.08,
                    once.get("eval.out.wrong") + 0.08);
            assertThat(fourTimes.get("eval.in.right")).isGreaterThan(0.9);
            assertThat(fourTimes).isNotEqualTo(once);
        }
    }

    @Test
    void rejectsFewerThanOneAnswerPerQuestion() {
        VersionEvaluator evaluator = VersionEvaluator.forTask(BootstrapOptions.SHIPPED_SEED);
        assertThatThrownBy(() -> evaluator.evaluate(null, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("answers per question must be >= 1, got 0");
    }
}
