package dev.flywheel.core.bootstrap;

/** The stages of the bootstrap pipeline, in the order they run. */
public enum Stage {
    /** Next-token language modelling on the pre-training corpus. */
    PRETRAIN("pre-train"),
    /** Supervised fine-tuning on demonstrations, loss on response tokens only. */
    SFT("sft"),
    /** Bradley–Terry training of the reward model on simulated comparisons. */
    REWARD_MODEL("reward-model"),
    /** Grading the SFT policy and the reward model on held-out questions and comparisons. */
    EVALUATE("evaluate"),
    /** Writing policy v0, the reference and the reward model to the model store. */
    WRITE("write");

    private final String label;

    Stage(String label) {
        this.label = label;
    }

    /** Short lower-case name for progress lines and tables. */
    public String label() {
        return label;
    }
}
