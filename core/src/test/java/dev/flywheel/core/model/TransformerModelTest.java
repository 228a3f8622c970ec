package dev.flywheel.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.flywheel.core.sampling.Sample;
import dev.flywheel.core.sampling.SamplingParams;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TransformerModelTest {

    @Test
    void sameSeedGivesBitIdenticalParameters() {
        try (TransformerModel a = TinyModels.small(7); TransformerModel b = TinyModels.small(7);
             TransformerModel c = TinyModels.small(8)) {
            assertThat(a.tensors()).isEqualTo(b.tensors());
            assertThat(a.tensors().get(0).values()).isNotEqualTo(c.tensors().get(0).values());
        }
    }

    @Test
    void paddedRowScoresLikeTheRowAlone() {
        try (TransformerModel m = TinyModels.small(1)) {
            List<int[]> prompts = TinyModels.prompts("12+7=", "3+4=");
            List<int[]> responses = List.of(TinyModels.TOKENIZER.encode("19."), TinyModels.TOKENIZER.encode("7"));
            float[][] batched = m.logProbs(prompts, responses, 1f);
            float[][] alone = m.logProbs(List.of(prompts.get(1)), List.of(responses.get(1)), 1f);
            assertThat(batched[1]).hasSize(1);
            assertThat(batched[1][0]).isCloseTo(alone[0][0], within(1e-5f));
            assertThat(batched[0]).hasSize(3);
        }
    }

    @Test
    void logProbsAreNormalisedOverTheVocabulary() {
        try (TransformerModel m = TinyModels.tiny(3)) {
            int[] prompt = TinyModels.TOKENIZER.encodePrompt("5+5=");
            double total = 0;
            for (int id = 0; id < m.config().vocabSize(); id++) {
                total += Math.exp(m.logProbs(List.of(prompt), List.of(new int[] {id}), 0.7f)[0][0]);
            }
            assertThat(total).isCloseTo(1.0, within(1e-4));
        }
    }

    @Test
    void forwardGivesLogitsAndValuesForEveryPosition() {
        try (TransformerModel m = TinyModels.tiny(3); NDManager scope = m.newScope()) {
            TokenBatch batch = TokenBatch.leftPadded(TinyModels.prompts("1+1=", "22+3="), 0, m.context());
            ModelOutput out = m.forward(scope, batch, false);
            assertThat(out.logits().getShape().getShape()).containsExactly(2, 6, m.config().vocabSize());
            assertThat(out.values().getShape().getShape()).containsExactly(2, 6);
        }
    }

    @Test
    void samplingLogProbsEqualScoredLogProbs() {
        try (TransformerModel m = TinyModels.small(11)) {
            List<int[]> prompts = TinyModels.prompts("9+1=", "123+456=", "?");
            SamplingParams params = new SamplingParams(0.8f, 20, 0.95f, 16, 42L);
            List<Sample> samples = m.sample(prompts, params);
            float[][] scored = m.logProbs(prompts, samples.stream().map(Sample::tokens).toList(), 0.8f);
            for (int i = 0; i < samples.size(); i++) {
                assertThat(samples.get(i).tokens()).isNotEmpty();
                assertThat(scored[i]).containsExactly(samples.get(i).logProbs(), within(1e-4f));
            }
        }
    }

    @Test
    void kvCacheSamplesExactlyTheSameTokensAsRecomputing() {
        try (TransformerModel m = TinyModels.small(5)) {
            List<int[]> prompts = TinyModels.prompts("7+8=", "1000+2000=", "a", "zz-y=");
            for (long seed : new long[] {1, 2, 3}) {
                SamplingParams params = new SamplingParams(1.0f, 0, 1f, 30, seed);
                List<Sample> cached = m.sample(prompts, params, true);
                List<Sample> recomputed = m.sample(prompts, params, false);
                for (int i = 0; i < prompts.size(); i++) {
                    assertThat(cached.get(i).tokens()).containsExactly(recomputed.get(i).tokens());
                    assertThat(cached.get(i).logProbs())
                            .containsExactly(recomputed.get(i).logProbs(), within(1e-5f));
                }
            }
        }
    }

    @Test
    void kvCacheMatchesRecomputingWithTemperatureTopKAndTopP() {
        try (TransformerModel m = TinyModels.small(8)) {
            List<int[]> prompts = TinyModels.prompts("5-3=", "77+1=", "q");
            for (SamplingParams params : List.of(new SamplingParams(0.7f, 5, 1f, 25, 4L),
                    new SamplingParams(1.3f, 0, 0.8f, 25, 5L), new SamplingParams(0.5f, 3, 0.9f, 25, 6L))) {
                List<Sample> cached = m.sample(prompts, params, true);
                List<Sample> recomputed = m.sample(prompts, params, false);
                for (int i = 0; i < prompts.size(); i++) {
                    assertThat(cached.get(i).tokens()).containsExactly(recomputed.get(i).tokens());
                    assertThat(cached.get(i).logProbs())
                            .containsExactly(recomputed.get(i).logProbs(), within(1e-5f));
                }
            }
        }
    }

    @Test
    void valuesAndLastTokenScoresDoNotDependOnPadding() {
        try (TransformerModel m = TinyModels.small(9)) {
            List<int[]> prompts = TinyModels.prompts("12+7=", "3=");
            List<int[]> responses = List.of(TinyModels.TOKENIZER.encode("19"), TinyModels.TOKENIZER.encode("3"));
            float[][] values = m.values(prompts, responses);
            float[][] alone = m.values(List.of(prompts.get(1)), List.of(responses.get(1)));
            assertThat(values[0]).hasSize(2);
            assertThat(values[1]).containsExactly(alone[0], within(1e-5f));
            float[] scores = m.lastTokenValues(prompts, responses);
            float[] scoreAlone = m.lastTokenValues(List.of(prompts.get(1)), List.of(responses.get(1)));
            assertThat(scores[1]).isCloseTo(scoreAlone[0], within(1e-5f));
        }
    }

    @Test
    void concurrentSamplersGetTheSameResultsAsOneAtATime() throws Exception {
        try (TransformerModel m = TinyModels.small(10)) {
            List<int[]> prompts = TinyModels.prompts("1+1=", "2+2=");
            List<List<Sample>> expected = new java.util.ArrayList<>();
            for (int seed = 0; seed < 4; seed++) {
                expected.add(m.sample(prompts, SamplingParams.of(20, seed)));
            }
            var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                List<java.util.concurrent.Future<List<Sample>>> futures = new java.util.ArrayList<>();
                for (int seed = 0; seed < 4; seed++) {
                    long s = seed;
                    futures.add(pool.submit(() -> m.sample(prompts, SamplingParams.of(20, s))));
                }
                for (int seed = 0; seed < 4; seed++) {
                    assertThat(futures.get(seed).get(120, java.util.concurrent.TimeUnit.SECONDS))
                            .isEqualTo(expected.get(seed));
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void sameSeedSamplesSameTokensAndOtherSeedsDiffer() {
        try (TransformerModel m = TinyModels.tiny(2)) {
            List<int[]> prompts = TinyModels.prompts("1+2=", "3+4=");
            List<Sample> a = m.sample(prompts, SamplingParams.of(20, 9L));
            List<Sample> b = m.sample(prompts, SamplingParams.of(20, 9L));
            List<Sample> c = m.sample(prompts, SamplingParams.of(20, 10L));
            assertThat(a).isEqualTo(b);
            assertThat(a).isNotEqualTo(c);
        }
    }

    @Test
    void topKOneIsGreedy() {
        try (TransformerModel m = TinyModels.tiny(4); NDManager scope = m.newScope()) {
            List<int[]> prompts = TinyModels.prompts("6+6=");
            Sample s = m.sample(prompts, SamplingParams.greedy(1).withSeed(99)).get(0);
            TokenBatch batch = TokenBatch.leftPadded(prompts, 0, m.context());
            NDArray last = m.forward(scope, batch, false).logits().get(":, -1, :");
            assertThat(s.tokens()[0]).isEqualTo((int) last.argMax(-1).toLongArray()[0]);
        }
    }

    @Test
    void rejectsPromptThatFillsTheContext() {
        try (TransformerModel m = TinyModels.tiny(1)) {
            int[] longPrompt = new int[m.context()];
            java.util.Arrays.fill(longPrompt, 5);
            assertThatThrownBy(() -> m.sample(List.of(longPrompt), SamplingParams.of(4, 1L)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("fills the model's context of " + m.context());
        }
    }

    @Test
    void rejectsTokenIdsOutsideTheVocabularyAndAcceptsEmptyBatches() {
        try (TransformerModel m = TinyModels.tiny(1)) {
            int vocab = m.config().vocabSize();
            assertThatThrownBy(() -> m.sample(List.of(new int[] {1, vocab}), SamplingParams.of(4, 1L)))
                    .hasMessageContaining("token id " + vocab + ", outside the model's vocabulary [0, " + vocab + ")");
            assertThatThrownBy(() -> m.logProbs(List.of(new int[] {1}), List.of(new int[] {-1}), 1f))
                    .hasMessageContaining("token id -1");
            assertThat(m.sample(List.of(), SamplingParams.of(4, 1L))).isEmpty();
            assertThat(m.logProbs(List.of(), List.of(), 1f)).isEmpty();
        }
    }

    @Test
    void referenceCopyDoesNotFollowThePolicysTraining() {
        try (TransformerModel policy = TinyModels.tiny(6);
             ReferenceModel ref = ReferenceModel.frozenCopyOf(policy)) {
            List<NamedTensor> before = ref.tensors();
            policy.setTrainable(true);
            try (var opt = dev.flywheel.core.optim.AdamW.over(policy, dev.flywheel.core.optim.AdamWConfig.defaults(),
                    dev.flywheel.core.optim.LearningRateSchedule.constant(1e-2f))) {
                opt.minimize(scope -> policy.forward(scope, TokenBatch.leftPadded(TinyModels.prompts("1"), 0, 32),
                        true).logits().square().mean());
            }
            assertThat(ref.tensors()).isEqualTo(before);
            assertThat(policy.tensors()).isNotEqualTo(before);
        }
    }
}
