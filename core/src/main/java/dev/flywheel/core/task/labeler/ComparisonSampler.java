package dev.flywheel.core.task.labeler;

import dev.flywheel.core.task.DefaultTask;
import dev.flywheel.core.task.Fact;
import dev.flywheel.core.task.Pool;
import dev.flywheel.core.task.Question;
import dev.flywheel.core.task.TaskFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws reward-model comparison data: questions from all pools, each with two candidate responses of the kinds a
 * policy trained by the bootstrap produces. A question the policy was trained on (KNOWN facts and sums, which it
 * learned, and SFT_UNKNOWN facts, whose demonstrations it memorises) gets two of {right answer, wrong answer,
 * refusal}, each pairing equally likely; a question about an out-of-knowledge name gets a guess (a uniformly random
 * code, almost always WRONG by the judge) against a refusal, because a right answer to it would only come from luck.
 */
public final class ComparisonSampler {

    /** Share of comparisons about questions the policy was trained on. */
    public static final double DEFAULT_TRAINED_FRACTION = 2.0 / 3.0;

    private final DefaultTask task;
    private final List<Question> trained;
    private final List<Question> unknown;
    private final SplittableRandom random;
    private final double trainedFraction;

    private ComparisonSampler(DefaultTask task, List<Question> trained, List<Question> unknown, long seed,
                              double trainedFraction) {
        if (!(trainedFraction >= 0 && trainedFraction <= 1)) {
            throw new IllegalArgumentException("trainedFraction must be in [0, 1], got " + trainedFraction);
        }
        this.task = task;
        this.trained = List.copyOf(trained);
        this.unknown = List.copyOf(unknown);
        this.random = new SplittableRandom(seed);
        this.trainedFraction = trainedFraction;
    }

    /**
     * Training comparisons: known facts, sums and SFT_UNKNOWN facts with all three pairings, and out-of-knowledge
     * traffic facts with guess against refusal; {@value #DEFAULT_TRAINED_FRACTION} of them about trained questions.
     */
    public static ComparisonSampler forTraining(DefaultTask task, long seed) {
        List<Question> trained = new ArrayList<>(inKnowledgeQuestions(task));
        task.facts().sftUnknown().forEach(f -> trained.add(f.question()));
        return new ComparisonSampler(task, trained, task.facts().outOfKnowledge().stream().map(Fact::question).toList(),
                seed, DEFAULT_TRAINED_FRACTION);
    }

    /**
     * Held-out comparisons, in the same proportions as training: in-knowledge questions (KNOWN facts and sums) with
     * fresh response pairs, and held-out names that nothing was trained on.
     */
    public static ComparisonSampler forHeldOut(DefaultTask task, long seed) {
        return new ComparisonSampler(task, inKnowledgeQuestions(task),
                task.facts().heldOut().stream().map(Fact::question).toList(), seed, DEFAULT_TRAINED_FRACTION);
    }

    /** The same questions drawn with another share of trained questions (the rest about out-of-knowledge names). */
    public ComparisonSampler withTrainedFraction(double fraction) {
        return new ComparisonSampler(task, trained, unknown, random.nextLong(), fraction);
    }

    /** The next comparison: about a trained question with the sampler's fraction, else an out-of-knowledge name. */
    public Comparison next() {
        return random.nextDouble() < trainedFraction ? pair(pick(trained)) : pair(pick(unknown));
    }

    /** The next {@code n} comparisons. */
    public List<Comparison> take(int n) {
        List<Comparison> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(next());
        }
        return out;
    }

    /** Two candidate responses for a question, in random order. */
    public Comparison pair(Question q) {
        String a;
        String b;
        if (q.pool() != Pool.OUT_OF_KNOWLEDGE) {
            String right = q.rightResponse();
            String wrong = TaskFormat.response(task.wrongAnswer(q, random));
            String refuse = TaskFormat.refusalResponse();
            switch (random.nextInt(3)) {
                case 0 -> { a = right; b = wrong; }
                case 1 -> { a = right; b = refuse; }
                default -> { a = refuse; b = wrong; }
            }
        } else {
            a = TaskFormat.response(guess(q));
            b = TaskFormat.refusalResponse();
        }
        return random.nextBoolean() ? new Comparison(q, a, b) : new Comparison(q, b, a);
    }

    private String guess(Question q) {
        StringBuilder code = new StringBuilder(q.answer().length());
        for (int i = 0; i < q.answer().length(); i++) {
            code.append((char) ('0' + random.nextInt(10)));
        }
        return code.toString();
    }

    private Question pick(List<Question> from) {
        return from.get(random.nextInt(from.size()));
    }

    private static List<Question> inKnowledgeQuestions(DefaultTask task) {
        List<Question> qs = new ArrayList<>();
        task.facts().known().forEach(f -> qs.add(f.question()));
        qs.addAll(task.sums());
        return qs;
    }
}
