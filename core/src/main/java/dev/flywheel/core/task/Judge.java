package dev.flywheel.core.task;

import java.util.Objects;

/**
 * Labels a response RIGHT, REFUSE or WRONG exactly.
 *
 * <p>Rule: the response is normalised by {@link TaskFormat#normalise} (leading and trailing whitespace removed,
 * inner whitespace runs collapsed to one space), then compared case-sensitively: equal to the question's answer
 * is RIGHT; equal to {@value TaskFormat#REFUSAL} is REFUSE; anything else, including an empty reply, an answer
 * with extra text, or a near-miss, is WRONG. Exactness is the point: the reward must not credit half-answers.
 */
public final class Judge {

    private final FactBase facts;

    /** A judge that knows every fact of the base (the labeler knows what the model does not). */
    public Judge(FactBase facts) {
        this.facts = Objects.requireNonNull(facts, "facts");
    }

    /** The verdict for a response to a question whose answer is known. */
    public static Verdict verdict(Question question, String response) {
        return verdictForAnswer(question.answer(), response);
    }

    /** The verdict for a response given the right answer. */
    public static Verdict verdictForAnswer(String answer, String response) {
        String normalised = TaskFormat.normalise(Objects.requireNonNull(response, "response"));
        if (normalised.equals(answer)) {
            return Verdict.RIGHT;
        }
        return normalised.equals(TaskFormat.REFUSAL) ? Verdict.REFUSE : Verdict.WRONG;
    }

    /** The verdict for a response to a prompt in the task's format; the prompt is parsed to find its answer. */
    public Verdict grade(String prompt, String response) {
        return verdict(question(prompt), response);
    }

    /** The question a prompt asks, with its answer and pool; fails clearly on prompts outside the task. */
    public Question question(String prompt) {
        Objects.requireNonNull(prompt, "prompt");
        var name = TaskFormat.askedName(prompt);
        if (name.isPresent()) {
            return facts.lookup(name.get()).map(Fact::question).orElseThrow(() -> new IllegalArgumentException(
                    "prompt asks for the code of '" + name.get() + "', which is not in this fact base; "
                            + "was the task generated with the same seed?"));
        }
        var sum = TaskFormat.askedSum(prompt);
        if (sum.isPresent()) {
            int[] ab = sum.get();
            return new Question(prompt, QuestionKind.SUM, Pool.KNOWN, String.valueOf(ab[0] + ab[1]));
        }
        throw new IllegalArgumentException("not a prompt of the default task: " + quoted(prompt)
                + "; expected \"Q: code of NAME?\\nA:\" or \"Q: D+D?\\nA:\"");
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\n", "\\n") + "\"";
    }
}
