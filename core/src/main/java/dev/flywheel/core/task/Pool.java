package dev.flywheel.core.task;

/** Which part of the model's knowledge a question falls in, fixed by what the training data shows it. */
public enum Pool {
    /** Facts that appear many times in the pre-training corpus and in SFT, and the arithmetic the model learns. */
    KNOWN,
    /** Facts that appear only in SFT demonstrations, with their true answer: the labeler knows, the model does not. */
    SFT_UNKNOWN,
    /** Facts that appear in no training data at all; traffic and evaluations ask about them. */
    OUT_OF_KNOWLEDGE;

    /** Whether a model trained by the bootstrap can know the answer from its own knowledge. */
    public boolean inKnowledge() {
        return this == KNOWN;
    }
}
