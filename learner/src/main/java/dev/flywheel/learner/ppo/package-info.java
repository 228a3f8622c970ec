/** PPO, GRPO and RLOO: policy-gradient training on scored rollouts with off-policy correction. */
package dev.flywheel.learner.ppo;
