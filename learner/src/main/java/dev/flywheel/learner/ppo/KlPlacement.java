package dev.flywheel.learner.ppo;

/** Where the KL leash to the reference acts. */
public enum KlPlacement {
    /** InstructGPT: −β·k1 on every token's reward, so the critic sees it (PPO's default). */
    REWARD,
    /** β·k3 added to the loss, the critic-free algorithms' default (GRPO, RLOO). */
    LOSS
}
