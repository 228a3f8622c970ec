package dev.flywheel.core.task;

import java.util.Objects;

/**
 * One question of the default task: the prompt text a user sends, and what the judge needs to grade a reply.
 *
 * @param prompt the exact prompt text given to the policy (see {@link TaskFormat})
 * @param kind   fact lookup or sum
 * @param pool   which part of the model's knowledge the question falls in
 * @param answer the one right answer, without the leading space of the response format
 */
public record Question(String prompt, QuestionKind kind, Pool pool, String answer) {

    /** Validates that every field is present. */
    public Question {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(answer, "answer");
    }

    /** Whether the model can know the answer (see {@link Pool#inKnowledge()}). */
    public boolean inKnowledge() {
        return pool.inKnowledge();
    }

    /** The response a perfect, honest model gives when it knows: the answer in the response format. */
    public String rightResponse() {
        return TaskFormat.response(answer);
    }
}
