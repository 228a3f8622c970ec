package dev.flywheel.learner.eval;

import dev.flywheel.core.bootstrap.PolicyGrader;
import dev.flywheel.core.bootstrap.VerdictRates;
import dev.flywheel.core.model.Policy;
import dev.flywheel.core.sampling.SamplingParams;
import dev.flywheel.core.task.DefaultTask;
import dev.flywheel.core.task.EvaluationSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Grades a policy on the default task's held-out evaluation sets, so every published version carries its right /
 * refuse / wrong rates on questions it can know and on names it has never seen (the seed's truthfulness measure).
 *
 * <p>Keys: {@code eval.in.right|refuse|wrong} and {@code eval.out.…}, sampled at temperature 1 with a fixed seed:
 * what users of the generator get. Greedy decoding is left out because grading runs at every publish and would
 * double its cost; {@link #evaluateGreedy} adds it where a caller wants both.
 */
public final class VersionEvaluator {

    private static final long SAMPLING_SEED = 5;

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

    /** The rates of {@code policy}, as version metrics. */
    public Map<String, Double> evaluate(Policy policy) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        SamplingParams sampled = PolicyGrader.sampled(SAMPLING_SEED);
        put(metrics, "eval.in.", PolicyGrader.grade(policy, in, sampled, 0));
        put(metrics, "eval.out.", PolicyGrader.grade(policy, out, sampled, 0));
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
