/** Prompts to sampled rollouts with behaviour log-probs, policy hot-swap and bounded staleness. Arrives with its own issue. */
package dev.flywheel.generator;
