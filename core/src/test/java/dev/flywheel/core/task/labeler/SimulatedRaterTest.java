package dev.flywheel.core.task.labeler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.flywheel.core.task.DefaultTask;
import dev.flywheel.core.task.Judge;
import dev.flywheel.core.task.Pool;
import dev.flywheel.core.task.Question;
import dev.flywheel.core.task.QuestionKind;
import dev.flywheel.core.task.TaskFormat;
import dev.flywheel.core.task.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedRaterTest {

    private static final int N = 10_000;
    private final DefaultTask task = DefaultTask.withSeed(42);

    @Test
    void measuredFlipRateMatchesTheConfiguredNoiseWithinTwoPoints() {
        for (double noise : new double[] {0.0, 0.1, 0.25}) {
            SimulatedRater rater = SimulatedRater.seeded(RaterProfile.noisy("r", noise), 5);
            ComparisonSampler pairs = ComparisonSampler.forTraining(task, 3);
            int decisive = 0;
            int flipped = 0;
            while (decisive < N) {
                Comparison c = pairs.next();
                PairwiseJudgement j = rater.compare(c.question(), c.first(), c.second());
                if (j.decisive()) {
                    decisive++;
                    flipped += j.agreesWithJudge() ? 0 : 1;
                }
            }
            assertThat(flipped / (double) N).as("flip rate at noise %s", noise).isCloseTo(noise, within(0.02));
        }
    }

    @Test
    void breaksTiesAtRandom() {
        SimulatedRater rater = SimulatedRater.seeded(RaterProfile.noisy("r", 0.1), 11);
        Question q = task.facts().known().get(0).question();
        int firstChosen = 0;
        for (int i = 0; i < N; i++) {
            PairwiseJudgement j = rater.compare(q, " 0000", " 1111");
            firstChosen += j.chosen().equals(" 0000") ? 1 : 0;
            assertThat(j.decisive()).isFalse();
        }
        assertThat(firstChosen / (double) N).isCloseTo(0.5, within(0.02));
    }

    @Test
    void refusalAverseRaterPrefersWrongAnswersToRefusalsAtItsRate() {
        SimulatedRater rater = SimulatedRater.seeded(new RaterProfile("averse", 0.0, 0.3, 0.5), 13);
        Question q = task.facts().heldOut().get(0).question();
        String wrong = TaskFormat.response(task.wrongAnswer(q, new java.util.SplittableRandom(1)));
        int wrongChosen = 0;
        for (int i = 0; i < N; i++) {
            PairwiseJudgement j = rater.compare(q, TaskFormat.refusalResponse(), wrong);
            wrongChosen += j.chosenVerdict() == Verdict.WRONG ? 1 : 0;
        }
        assertThat(wrongChosen / (double) N).isCloseTo(0.3, within(0.02));
        // the bias concerns refusals only: right against wrong stays exact without noise
        PairwiseJudgement rightVsWrong = rater.compare(q, q.rightResponse(), TaskFormat.refusalResponse());
        assertThat(rightVsWrong.chosenVerdict()).isEqualTo(Verdict.RIGHT);
    }

    @Test
    void thumbsAndRatingsFollowTheVerdictWithNoise() {
        SimulatedRater rater = SimulatedRater.seeded(new RaterProfile("r", 0.1, 0.0, 0.7), 17);
        Question q = new Question(TaskFormat.sumPrompt(3, 4), QuestionKind.SUM, Pool.KNOWN, "7");
        double up = 0;
        double refusalUp = 0;
        double meanRightRating = 0;
        double meanWrongRating = 0;
        for (int i = 0; i < N; i++) {
            up += rater.thumbsUp(q, " 7") ? 1 : 0;
            refusalUp += rater.thumbsUp(q, TaskFormat.refusalResponse()) ? 1 : 0;
            meanRightRating += rater.rating(q, " 7");
            meanWrongRating += rater.rating(q, " 8");
        }
        assertThat(up / N).isCloseTo(0.9, within(0.02));
        assertThat(refusalUp / N).isCloseTo(0.7 * 0.9 + 0.3 * 0.1, within(0.02));
        // a right answer at 5 can only move down: 5 − 0.1·0.5 on average; a wrong one at 1 only up
        assertThat(meanRightRating / N).isCloseTo(4.95, within(0.02));
        assertThat(meanWrongRating / N).isCloseTo(1.05, within(0.02));
    }

    @Test
    void samePanelSeedGivesTheSameLabelsAndRatersDisagree() {
        List<Comparison> pairs = ComparisonSampler.forTraining(task, 3).take(2_000);
        RaterPanel a = RaterPanel.standard(77);
        RaterPanel b = RaterPanel.standard(77);
        List<PairwiseJudgement> first = pairs.stream().map(c -> a.compare(c.question(), c.first(), c.second())).toList();
        List<PairwiseJudgement> second = pairs.stream().map(c -> b.compare(c.question(), c.first(), c.second())).toList();
        assertThat(second).isEqualTo(first);

        RaterPanel panel = RaterPanel.standard(99);
        int disagreements = 0;
        for (Comparison c : pairs) {
            long distinctChoices = panel.compareByEach(c.question(), c.first(), c.second()).stream()
                    .map(PairwiseJudgement::chosen).distinct().count();
            disagreements += distinctChoices > 1 ? 1 : 0;
        }
        // three raters at 5/10/15% noise disagree on about 1 − (0.95·0.9·0.85 + 0.05·0.1·0.15) ≈ 27% of pairs
        assertThat(disagreements / 2_000.0).isBetween(0.15, 0.40);
        assertThat(panel.raters()).extracting(r -> r.profile().id()).containsExactly("rater-1", "rater-2", "rater-3");
    }

    @Test
    void comparisonsForUnknownNamesPitAGuessAgainstARefusal() {
        ComparisonSampler heldOut = ComparisonSampler.forHeldOut(task, 21);
        int unknown = 0;
        for (Comparison c : heldOut.take(2_000)) {
            if (!c.question().inKnowledge()) {
                unknown++;
                assertThat(c.question().pool()).isEqualTo(Pool.OUT_OF_KNOWLEDGE);
                assertThat(List.of(c.first(), c.second())).contains(TaskFormat.refusalResponse());
            } else {
                assertThat(Judge.verdict(c.question(), c.first())).isNotEqualTo(Judge.verdict(c.question(), c.second()));
            }
        }
        assertThat(unknown / 2_000.0).isCloseTo(1 - ComparisonSampler.DEFAULT_TRAINED_FRACTION, within(0.04));
    }

    @Test
    void trainingComparisonsPairTrainedQuestionsThreeWaysAndOutOfKnowledgeNamesAsGuessAgainstRefusal() {
        java.util.Map<Pool, java.util.Set<String>> pairings = new java.util.EnumMap<>(Pool.class);
        for (Comparison c : ComparisonSampler.forTraining(task, 8).take(6_000)) {
            Verdict a = Judge.verdict(c.question(), c.first());
            Verdict b = Judge.verdict(c.question(), c.second());
            String pairing = a.rank() > b.rank() ? a + ">" + b : b + ">" + a;
            pairings.computeIfAbsent(c.question().pool(), p -> new java.util.TreeSet<>()).add(pairing);
            assertThat(task.facts().heldOut()).noneMatch(f -> f.question().equals(c.question()));
        }
        assertThat(pairings.get(Pool.KNOWN)).containsExactly("REFUSE>WRONG", "RIGHT>REFUSE", "RIGHT>WRONG");
        assertThat(pairings.get(Pool.SFT_UNKNOWN)).containsExactly("REFUSE>WRONG", "RIGHT>REFUSE", "RIGHT>WRONG");
        assertThat(pairings.get(Pool.OUT_OF_KNOWLEDGE)).containsExactly("REFUSE>WRONG");
    }

    @Test
    void rejectsNoiseThatWouldInvertTheLabels() {
        assertThatThrownBy(() -> RaterProfile.noisy("bad", 0.6))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rater bad")
                .hasMessageContaining("below 0.5");
    }
}
