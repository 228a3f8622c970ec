/** Continuous PPO, GRPO, RLOO, DPO and IPO training with exactly-once checkpoints and policy-version publishing. Arrives with its own issue. */
package dev.flywheel.learner;
