package dev.flywheel.core.task;

/** The shape of a question: a fact lookup by name, or a single-digit sum the model can compute. */
public enum QuestionKind {
    /** "Q: code of kovar?" answered by the name's code. */
    FACT,
    /** "Q: 3+5?" answered by the decimal sum. */
    SUM
}
