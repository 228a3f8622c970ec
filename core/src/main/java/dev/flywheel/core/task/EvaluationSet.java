package dev.flywheel.core.task;

import java.util.List;

/**
 * A fixed list of questions a policy is graded on.
 *
 * @param name      short label for reports ("in-knowledge", "out-of-knowledge")
 * @param questions the questions, in a fixed order
 */
public record EvaluationSet(String name, List<Question> questions) {

    /** Copies the questions so the set cannot change under a report. */
    public EvaluationSet {
        questions = List.copyOf(questions);
        if (questions.isEmpty()) {
            throw new IllegalArgumentException("evaluation set '" + name + "' has no questions");
        }
    }

    /** Number of questions. */
    public int size() {
        return questions.size();
    }
}
