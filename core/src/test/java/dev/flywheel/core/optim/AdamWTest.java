package dev.flywheel.core.optim;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.flywheel.core.model.NamedTensor;
import dev.flywheel.core.model.ResponseBatch;
import dev.flywheel.core.model.TinyModels;
import dev.flywheel.core.model.TransformerModel;
import dev.flywheel.core.sampling.Sample;
import dev.flywheel.core.sampling.SamplingParams;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class AdamWTest {

    private static final List<int[]> PROMPTS = TinyModels.prompts("1+2=", "40+2=");
    private static final List<int[]> ANSWERS = List.of(answer("3."), answer("42."));

    private static int[] answer(String text) {
        int[] body = TinyModels.TOKENIZER.encode(text);
        int[] ids = java.util.Arrays.copyOf(body, body.length + 1);
        ids[body.length] = TinyModels.TOKENIZER.eosId();
        return ids;
    }

    /** Mean negative log-likelihood of the answers (teacher forcing). */
    static NDArray nll(NDManager scope, TransformerModel m) {
        ResponseBatch batch = m.responseBatch(PROMPTS, ANSWERS);
        NDArray logp = batch.tokenLogProbs(m.forward(scope, batch.sequences(), true).logits(), 1f);
        NDArray mask = batch.responseMask(scope);
        return logp.mul(mask).sum().div(mask.sum()).neg();
    }

    @Test
    void learnsToAnswerItsTrainingPromptsGreedily() {
        try (TransformerModel m = TinyModels.tiny(1)) {
            m.setTrainable(true);
            float first;
            StepReport last;
            try (AdamW opt = AdamW.over(m, AdamWConfig.defaults(), LearningRateSchedule.constant(3e-3f))) {
                first = opt.minimize(scope -> nll(scope, m)).loss();
                do {
                    last = opt.minimize(scope -> nll(scope, m));
                } while (last.step() < 150);
            }
            assertThat(last.loss()).isLessThan(first / 10);
            List<Sample> greedy = m.sample(PROMPTS, SamplingParams.greedy(8));
            assertThat(greedy.get(0).tokens()).containsExactly(ANSWERS.get(0));
            assertThat(greedy.get(1).tokens()).containsExactly(ANSWERS.get(1));
        }
    }

    @Test
    void reportsThePreClipGlobalGradientNorm() {
        try (TransformerModel m = TinyModels.tiny(2)) {
            m.setTrainable(true);
            try (AdamW opt = AdamW.over(m, AdamWConfig.defaults().withMaxGradNorm(1e-3f),
                    LearningRateSchedule.constant(1e-3f))) {
                double expected = 0;
                try (NDManager scope = m.newScope();
                     GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                    gc.backward(nll(scope, m));
                }
                for (var p : m.parameters().values()) {
                    try (NDManager s = m.newScope()) {
                        NDArray g = p.getArray().getGradient();
                        g.attach(s);
                        for (float v : g.toFloatArray()) {
                            expected += (double) v * v;
                        }
                    }
                }
                StepReport r = opt.step();
                assertThat(r.applied()).isTrue();
                assertThat((double) r.gradNorm()).isCloseTo(Math.sqrt(expected), within(1e-4 * Math.sqrt(expected)));
                assertThat(r.gradNorm()).isGreaterThan(1e-3f);

                // Clipped gradient g·c with ||g·c|| = maxGradNorm, so the first moment (1-β1)·g·c has norm 0.1·1e-3.
                double mNorm = 0;
                for (NamedTensor t : opt.state().firstMoments()) {
                    for (float v : t.values()) {
                        mNorm += (double) v * v;
                    }
                }
                assertThat(Math.sqrt(mNorm)).isCloseTo(0.1 * 1e-3, within(1e-7));
            }
        }
    }

    @Test
    void sameSeedAndDataGiveBitIdenticalParametersAfterTraining() {
        List<NamedTensor> a = trainFiveSteps();
        List<NamedTensor> b = trainFiveSteps();
        assertThat(a).isEqualTo(b);
    }

    private static List<NamedTensor> trainFiveSteps() {
        try (TransformerModel m = TinyModels.small(3)) {
            m.setTrainable(true);
            try (AdamW opt = AdamW.over(m, AdamWConfig.defaults(), LearningRateSchedule.warmupCosine(1e-3f, 2, 5, 0f))) {
                for (int i = 0; i < 5; i++) {
                    opt.minimize(scope -> nll(scope, m));
                }
            }
            return m.tensors();
        }
    }

    @Test
    void skipsAStepWhoseGradientsAreNotFiniteAndRecovers() {
        try (TransformerModel m = TinyModels.tiny(4)) {
            m.setTrainable(true);
            try (AdamW opt = AdamW.over(m, AdamWConfig.defaults(), LearningRateSchedule.constant(1e-3f))) {
                List<NamedTensor> before = m.tensors();
                StepReport bad = opt.minimize(scope -> nll(scope, m).mul(scope.create(Float.NaN)));
                assertThat(bad.applied()).isFalse();
                assertThat(m.tensors()).isEqualTo(before);
                StepReport good = opt.minimize(scope -> nll(scope, m));
                assertThat(good.applied()).isTrue();
                assertThat(good.step()).isZero();
                assertThat(Float.isFinite(good.gradNorm())).isTrue();
            }
        }
    }

    @Test
    void trainingStepsLeaveNoLiveArraysBehind() {
        try (TransformerModel m = TinyModels.tiny(5)) {
            m.setTrainable(true);
            try (AdamW opt = AdamW.over(m, AdamWConfig.defaults(), LearningRateSchedule.constant(1e-3f))) {
                opt.minimize(scope -> nll(scope, m));
                int after1 = m.liveArrayCount();
                for (int i = 0; i < 30; i++) {
                    opt.minimize(scope -> nll(scope, m));
                }
                assertThat(m.liveArrayCount()).isEqualTo(after1);
            }
        }
    }

    @Test
    void optimizerStateRestoresExactly() {
        try (TransformerModel m = TinyModels.tiny(6)) {
            m.setTrainable(true);
            try (AdamW opt = AdamW.over(m, AdamWConfig.defaults(), LearningRateSchedule.constant(1e-3f));
                 AdamW other = AdamW.over(m, AdamWConfig.defaults(), LearningRateSchedule.constant(1e-3f))) {
                opt.minimize(scope -> nll(scope, m));
                opt.minimize(scope -> nll(scope, m));
                OptimizerState saved = opt.state();
                other.restore(saved);
                assertThat(other.steps()).isEqualTo(2);
                assertThat(other.state().firstMoments()).isEqualTo(saved.firstMoments());
                assertThat(other.state().secondMoments()).isEqualTo(saved.secondMoments());
            }
        }
    }

    @Test
    void refusesAFrozenModel() {
        try (TransformerModel m = TinyModels.tiny(7)) {
            assertThatThrownBy(() -> AdamW.over(m, AdamWConfig.defaults(), LearningRateSchedule.constant(1e-3f)))
                    .hasMessageContaining("setTrainable(true)");
        }
    }

    @Test
    void scheduleWarmsUpLinearlyThenDecaysByCosine() {
        LearningRateSchedule s = LearningRateSchedule.warmupCosine(1e-3f, 10, 110, 1e-4f);
        assertThat(s.rate(0)).isCloseTo(1e-4f, within(1e-9f));
        assertThat(s.rate(9)).isCloseTo(1e-3f, within(1e-9f));
        assertThat(s.rate(60)).isCloseTo(5.5e-4f, within(1e-8f));
        assertThat(s.rate(110)).isCloseTo(1e-4f, within(1e-9f));
        assertThat(s.rate(500)).isCloseTo(1e-4f, within(1e-9f));
        assertThat(LearningRateSchedule.constant(2e-4f).rate(12345)).isEqualTo(2e-4f);
        assertThat(LearningRateSchedule.warmupConstant(1e-3f, 4).rate(1)).isCloseTo(5e-4f, within(1e-9f));
    }
}
