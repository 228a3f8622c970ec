package dev.flywheel.core.task;

import java.util.Objects;

/**
 * One SFT demonstration: a question and the response the labeler wrote for it.
 *
 * @param question the question asked
 * @param response the labeler's response, in the response format (leading space)
 */
public record Demonstration(Question question, String response) {

    /** Validates that both parts are present. */
    public Demonstration {
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(response, "response");
    }

    /** The prompt text. */
    public String prompt() {
        return question.prompt();
    }
}
