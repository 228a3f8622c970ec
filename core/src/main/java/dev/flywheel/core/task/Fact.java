package dev.flywheel.core.task;

import java.util.Objects;

/**
 * One synthetic fact: a made-up name and its code.
 *
 * @param name a pronounceable lower-case name, unique in its fact base
 * @param code a fixed-width string of digits
 * @param pool which part of the model's knowledge the fact is in
 */
public record Fact(String name, String code, Pool pool) {

    /** Validates that every field is present. */
    public Fact {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(pool, "pool");
    }

    /** The question asking for this fact. */
    public Question question() {
        return new Question(TaskFormat.factPrompt(name), QuestionKind.FACT, pool, code);
    }
}
