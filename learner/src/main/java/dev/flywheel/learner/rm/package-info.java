/** Reward-model refresh: Bradley–Terry training of the reward model on human preference pairs. */
package dev.flywheel.learner.rm;
