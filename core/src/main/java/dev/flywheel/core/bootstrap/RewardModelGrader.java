package dev.flywheel.core.bootstrap;

import dev.flywheel.core.model.RewardModel;
import dev.flywheel.core.task.Judge;
import dev.flywheel.core.task.labeler.Comparison;
import dev.flywheel.core.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/** Measures a reward model's pairwise accuracy against the exact judge on held-out comparisons. */
public final class RewardModelGrader {

    private static final int CHUNK = 128;

    private RewardModelGrader() {
    }

    /**
     * The fraction of decisive comparisons (different verdicts) whose better response scores strictly higher,
     * overall and split by whether the question is in the model's knowledge.
     */
    public static RewardModelEvaluation grade(RewardModel rm, List<Comparison> comparisons,
                                              double trainingLabelAccuracy) {
        Tokenizer tokenizer = rm.model().tokenizer();
        int[] correct = new int[2];
        int[] total = new int[2];
        for (int from = 0; from < comparisons.size(); from += CHUNK) {
            List<Comparison> chunk = comparisons.subList(from, Math.min(comparisons.size(), from + CHUNK));
            List<int[]> prompts = new ArrayList<>();
            List<int[]> responses = new ArrayList<>();
            for (Comparison c : chunk) {
                prompts.add(tokenizer.encodePrompt(c.question().prompt()));
                responses.add(StageTraining.withEos(tokenizer, c.first()));
            }
            for (Comparison c : chunk) {
                prompts.add(tokenizer.encodePrompt(c.question().prompt()));
                responses.add(StageTraining.withEos(tokenizer, c.second()));
            }
            float[] scores = rm.score(prompts, responses);
            for (int i = 0; i < chunk.size(); i++) {
                Comparison c = chunk.get(i);
                int a = Judge.verdict(c.question(), c.first()).rank();
                int b = Judge.verdict(c.question(), c.second()).rank();
                if (a == b) {
                    continue;
                }
                int k = c.question().inKnowledge() ? 0 : 1;
                total[k]++;
                float better = a > b ? scores[i] : scores[chunk.size() + i];
                float worse = a > b ? scores[chunk.size() + i] : scores[i];
                correct[k] += better > worse ? 1 : 0;
            }
        }
        int n = total[0] + total[1];
        if (n == 0) {
            throw new IllegalArgumentException("no decisive comparisons to grade the reward model on");
        }
        return new RewardModelEvaluation((correct[0] + correct[1]) / (double) n, ratio(correct[0], total[0]),
                ratio(correct[1], total[1]), n, trainingLabelAccuracy);
    }

    private static double ratio(int a, int b) {
        return b == 0 ? Double.NaN : a / (double) b;
    }
}
