package dev.flywheel.learner.eval;

import dev.flywheel.core.bootstrap.PolicyGrader;
import dev.flywheel.core.bootstrap.VerdictRates;
import dev.flywheel.core.model.Policy;
import dev.flywheel.core.sampling.SamplingParams;
import dev.flywheel.core.task.DefaultTask;
import dev.flywheel.core.task.EvaluationSet;
import dev.flywheel.core.task.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Grades a policy on the default task's held-out evaluation sets, so every published version carries its right /
 * refuse / wrong rates on questions it can know and on names it has never seen (the seed's truthfulness measure).
 *
 * <p>Keys: {@code eval.in.right|refuse|wrong} and {@code eval.out.…}, over {@link #ANSWERS_PER_QUESTION} answers to
 * each question sampled at temperature 1 with fixed seeds: what users of the generator get. Greedy decoding is left
 * out because grading runs at every publish; {@link #evaluateGreedy} adds it where a caller wants both.
 */
public final class VersionEvaluator {

    /**
     * Answers graded per question. With one, a 40% rate on the 200 out-of-knowledge questions carries a standard error
     * of 3.5 points, so two versions of the same policy read 7 points apart; four answers each bring it to about 2
     * (not quite half: questions differ), for about a second of sampling on a 2-core machine.
     */
    public static final int ANSWERS_PER_QUESTION = 4;

    private static final long SAMPLING_SEED = 5;
    // Passes' seeds lie further apart than any chunk offset PolicyGrader adds, so no two passes share a stream.
    private static final long PASS_SEED_STRIDE = 1_000_003L;

    private final EvaluationSet in;
    private final EvaluationSet out;

    private VersionEvaluator(DefaultTask task) {
        this.in = task.inKnowledgeEvaluation();
        this.out = task.outOfKnowledgeEvaluation();
    }

    /** An evaluator on the default task built with {@code taskSeed} (the bootstrap's seed). */
    public static VersionEvaluator forTask(long taskSeed) {
        return new VersionEvaluator(DefaultTask.withSeed(taskSeed));
    }

    /** The rates of {@code policy} over {@link #ANSWERS_PER_QUESTION} sampled answers to each question. */
    public Map<String, Double> evaluate(Policy policy) {
        return evaluate(policy, ANSWERS_PER_QUESTION);
    }

    /**
     * The rates over {@code answersPerQuestion} sampled answers to every question. Pass k always uses the same seed,
     * so grading with more answers only adds answers to grading with fewer.
     */
    public Map<String, Double> evaluate(Policy policy, int answersPerQuestion) {
        if (answersPerQuestion < 1) {
            throw new IllegalArgumentException("answers per question must be >= 1, got " + answersPerQuestion);
        }
        List<Verdict> inVerdicts = new ArrayList<>();
        List<Verdict> outVerdicts = new ArrayList<>();
        for (int pass = 0; pass < answersPerQuestion; pass++) {
            SamplingParams sampled = PolicyGrader.sampled(SAMPLING_SEED + PASS_SEED_STRIDE * pass);
            inVerdicts.addAll(PolicyGrader.verdicts(policy, in.questions(), sampled));
            outVerdicts.addAll(PolicyGrader.verdicts(policy, out.questions(), sampled));
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        put(metrics, "eval.in.", VerdictRates.of(inVerdicts));
        put(metrics, "eval.out.", VerdictRates.of(outVerdicts));
        return metrics;
    }

    /** The same rates under greedy decoding, keys {@code eval.greedy.in.…} and {@code eval.greedy.out.…}. */
    public Map<String, Double> evaluateGreedy(Policy policy) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        put(metrics, "eval.greedy.in.", PolicyGrader.grade(policy, in, PolicyGrader.greedy(), 0));
        put(metrics, "eval.greedy.out.", PolicyGrader.grade(policy, out, PolicyGrader.greedy(), 0));
        return metrics;
    }

    private static void put(Map<String, Double> metrics, String prefix, VerdictRates rates) {
        metrics.put(prefix + "right", rates.right());
        metrics.put(prefix + "refuse", rates.refuse());
        metrics.put(prefix + "wrong", rates.wrong());
    }
}
