package dev.flywheel.scorer.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.flywheel.core.loss.Losses;
import dev.flywheel.core.model.TransformerModel;
import dev.flywheel.core.store.ModelStore;
import dev.flywheel.core.task.Judge;
import dev.flywheel.core.task.Question;
import dev.flywheel.core.task.TaskFormat;
import dev.flywheel.core.task.TruthfulnessReward;
import dev.flywheel.core.task.Verdict;
import dev.flywheel.schemas.JudgeLabel;
import dev.flywheel.schemas.RewardSource;
import dev.flywheel.schemas.Rollout;
import dev.flywheel.schemas.ScoredRollout;
import dev.flywheel.scorer.ScorerConfig;
import dev.flywheel.scorer.TestRollouts;
import dev.flywheel.scorer.reward.RewardMode;
import dev.flywheel.scorer.reward.RewardRecipe;
import dev.flywheel.scorer.scoring.ModelsInUse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a scored rollout holds, checked through the topology in a {@code TopologyTestDriver}. */
class ScoringTopologyTest {
    private static final double BETA = 0.1;

    @TempDir
    static Path dir;
    private static ModelStore store;
    private static ModelsInUse models;

    @BeforeAll
    static void bootstrap() {
        store = TestRollouts.bootstrap(dir.resolve("models"));
        models = TestRollouts.models(store, BETA);
    }

    @AfterAll
    static void closeModels() {
        TestRollouts.close(models);
    }

    private static ScorerConfig config(RewardRecipe recipe, int batchSize) {
        return ScorerConfig.builder(dir).reward(recipe).beta(BETA).batches(batchSize, ScorerDriver.delay()).build();
    }

    private static List<ScoredRollout> scoreAll(RewardRecipe recipe, List<Rollout> rollouts) {
        try (ScorerDriver driver = new ScorerDriver(config(recipe, 8), models)) {
            driver.pipe(rollouts);
            driver.flushPartialBatch();
            return driver.scoredValues();
        }
    }

    @Test
    void klIsZeroAndShapedRewardIsTheClippedRmScoreOnTheLastTokenWhenThePolicyIsTheReference() {
        List<Rollout> rollouts = new ArrayList<>(TestRollouts.sampled(models.reference(), "t1", 10, 1.0f, 11));
        rollouts.addAll(TestRollouts.sampled(models.reference(), "t07", 10, 0.7f, 12));
        float[] alone = new float[rollouts.size()];
        for (int i = 0; i < rollouts.size(); i++) {
            Rollout r = rollouts.get(i);
            alone[i] = models.rewardModel().score(List.of(ints(r.getPromptTokenIds())),
                    List.of(ints(r.getResponseTokenIds())))[0];
        }
        double clip = 0.5 * maxAbs(alone);
        List<ScoredRollout> scored = scoreAll(RewardRecipe.rewardModel().withClip(clip), rollouts);

        assertThat(scored).extracting(ScoredRollout::getId).hasSize(rollouts.size());
        int clipped = 0;
        for (int i = 0; i < scored.size(); i++) {
            ScoredRollout s = scored.get(i);
            assertThat(s.getRolloutId()).isEqualTo(rollouts.get(i).getId());
            assertThat(s.getRewardSource()).isEqualTo(RewardSource.RM);
            assertThat(s.getRmScore()).isCloseTo(alone[i], within(1e-5));
            assertThat(s.getReward()).isEqualTo(s.getRmScore());
            assertThat(s.getJudgeLabel()).isNull();
            int n = s.getKlK1().size();
            assertThat(n).isEqualTo(rollouts.get(i).getResponseTokenIds().size());
            for (int t = 0; t < n; t++) {
                assertThat(s.getKlK1().get(t)).as("k1[%d] of %s", t, s.getId()).isCloseTo(0f, within(1e-6f));
                assertThat(s.getKlK3().get(t)).as("k3[%d]", t).isBetween(0f, 1e-6f);
            }
            assertThat(s.getSequenceKl()).isCloseTo(0, within(1e-6 * n));
            double expectedLast = Math.max(-clip, Math.min(clip, s.getRmScore()));
            clipped += expectedLast != s.getRmScore() ? 1 : 0;
            for (int t = 0; t < n - 1; t++) {
                assertThat(s.getShapedRewards().get(t)).isCloseTo(0f, within(1e-6f));
            }
            assertThat((double) s.getShapedRewards().get(n - 1)).isCloseTo(expectedLast, within(1e-6));
            assertThat(s.getBeta()).isEqualTo(BETA);
        }
        assertThat(clipped).as("rollouts whose RM score was clipped").isPositive();
    }

    @Test
    void perTokenKlMatchesCoreLossesForAPolicyThatIsNotTheReference() {
        List<Rollout> rollouts;
        try (TransformerModel other = TransformerModel.create(models.reference().config(),
                models.reference().tokenizer(), 99, Device.cpu())) {
            rollouts = TestRollouts.sampled(other, "far", 12, 1.0f, 21);
        }
        List<ScoredRollout> scored = scoreAll(RewardRecipe.rewardModel(), rollouts);

        assertThat(scored).extracting(ScoredRollout::getId).hasSize(rollouts.size());
        double largestK1 = 0;
        try (NDManager scope = NDManager.newBaseManager(Device.cpu())) {
            for (ScoredRollout s : scored) {
                float[] logp = floats(s.getRollout().getBehaviourLogProbs());
                float[] ref = floats(s.getReferenceLogProbs());
                float[] k1 = Losses.klK1(scope.create(logp), scope.create(ref)).toFloatArray();
                float[] k3 = Losses.klK3(scope.create(logp), scope.create(ref)).toFloatArray();
                double sum = 0;
                for (int t = 0; t < k1.length; t++) {
                    assertThat(s.getKlK1().get(t)).isCloseTo(k1[t], within(1e-5f));
                    assertThat(s.getKlK3().get(t)).isCloseTo(k3[t], within(1e-5f * Math.max(1f, Math.abs(k3[t]))));
                    assertThat(s.getKlK3().get(t)).isGreaterThanOrEqualTo(0f);
                    assertThat(s.getShapedRewards().get(t)).isCloseTo((float) (-BETA * k1[t]
                            + (t == k1.length - 1 ? Math.max(-5, Math.min(5, s.getReward())) : 0)), within(1e-5f));
                    sum += k1[t];
                    largestK1 = Math.max(largestK1, Math.abs(k1[t]));
                }
                assertThat(s.getSequenceKl()).isCloseTo(sum, within(1e-4));
            }
        }
        assertThat(largestK1).as("a random policy is far from the reference").isGreaterThan(0.5);
    }

    @Test
    void judgeRewardIsTheTaskJudgesVerdict() {
        List<Question> questions = TestRollouts.questions(6, 31);
        List<Rollout> rollouts = new ArrayList<>();
        for (int i = 0; i < questions.size(); i++) {
            Question q = questions.get(i);
            String response = switch (i % 3) {
                case 0 -> q.rightResponse();
                case 1 -> TaskFormat.refusalResponse();
                default -> " 0" + q.answer() + "9";
            };
            rollouts.add(TestRollouts.answering(models.reference(), "j-" + i, q, response));
        }
        List<ScoredRollout> scored = scoreAll(RewardRecipe.of(RewardMode.JUDGE), rollouts);

        assertThat(scored).extracting(ScoredRollout::getJudgeLabel).containsExactly(JudgeLabel.RIGHT,
                JudgeLabel.REFUSE, JudgeLabel.WRONG, JudgeLabel.RIGHT, JudgeLabel.REFUSE, JudgeLabel.WRONG);
        for (ScoredRollout s : scored) {
            Verdict verdict = Judge.verdictForAnswer(s.getRollout().getMetadata().get("task.answer"),
                    s.getRollout().getResponse());
            assertThat(s.getJudgeLabel().name()).isEqualTo(verdict.name());
            assertThat(s.getJudgeReward()).isEqualTo(TruthfulnessReward.DEFAULT.of(verdict));
            assertThat(s.getReward()).isEqualTo(s.getJudgeReward());
            assertThat(s.getRewardSource()).isEqualTo(RewardSource.JUDGE);
            assertThat(s.getRmScore()).isNull();
            assertThat(s.getRmVersion()).isNull();
        }
    }

    @Test
    void rmPlusJudgeRewardIsTheWeightedSumOfBothComponents() {
        List<Rollout> rollouts = TestRollouts.sampled(models.reference(), "mix", 8, 1.0f, 41);
        List<ScoredRollout> scored = scoreAll(RewardRecipe.of(RewardMode.RM_AND_JUDGE).withWeights(0.3, 2.0), rollouts);

        assertThat(scored).extracting(ScoredRollout::getId).hasSize(8);
        assertThat(scored).allSatisfy(s -> {
            assertThat(s.getRewardSource()).isEqualTo(RewardSource.RM_AND_JUDGE);
            assertThat(s.getRmVersion()).isEqualTo(0L);
            assertThat(s.getReward()).isCloseTo(0.3 * s.getRmScore() + 2.0 * s.getJudgeReward(), within(1e-9));
        });
    }

    private static double maxAbs(float[] values) {
        double max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    private static int[] ints(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }

    private static float[] floats(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
