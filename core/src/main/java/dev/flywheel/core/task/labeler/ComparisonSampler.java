package dev.flywheel.core.task.labeler;

import dev.flywheel.core.task.DefaultTask;
import dev.flywheel.core.task.Fact;
import dev.flywheel.core.task.Question;
import dev.flywheel.core.task.TaskFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws reward-model comparison data: questions from all pools, each with two candidate responses of the kinds a
 * policy produces. An in-knowledge question gets two of {right answer, wrong answer, refusal}, each pairing
 * equally likely; a question the model cannot know gets a guess (a uniformly random code, almost always WRONG by
 * the judge) against a refusal, because a right answer to it would only ever come from luck.
 */
public final class ComparisonSampler {

    private final DefaultTask task;
    private final List<Question> inKnowledge;
    private final List<Question> unknown;
    private final SplittableRandom random;

    private ComparisonSampler(DefaultTask task, List<Question> inKnowledge, List<Question> unknown, long seed) {
        this.task = task;
        this.inKnowledge = List.copyOf(inKnowledge);
        this.unknown = List.copyOf(unknown);
        this.random = new SplittableRandom(seed);
    }

    /** Training comparisons: known facts and sums, SFT_UNKNOWN facts and out-of-knowledge traffic facts. */
    public static ComparisonSampler forTraining(DefaultTask task, long seed) {
        List<Question> unknown = new ArrayList<>();
        task.facts().sftUnknown().forEach(f -> unknown.add(f.question()));
        task.facts().outOfKnowledge().forEach(f -> unknown.add(f.question()));
        return new ComparisonSampler(task, inKnowledgeQuestions(task), unknown, seed);
    }

    /** Held-out comparisons: in-knowledge questions with fresh response pairs, and held-out names nothing saw. */
    public static ComparisonSampler forHeldOut(DefaultTask task, long seed) {
        return new ComparisonSampler(task, inKnowledgeQuestions(task),
                task.facts().heldOut().stream().map(Fact::question).toList(), seed);
    }

    /** The next comparison: half in-knowledge questions, half questions the model cannot know. */
    public Comparison next() {
        return random.nextBoolean() ? pair(pick(inKnowledge)) : pair(pick(unknown));
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
        if (q.inKnowledge()) {
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
