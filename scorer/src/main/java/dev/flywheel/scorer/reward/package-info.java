/** Which reward a rollout gets: the reward model, the task's truthfulness judge, or a weighted sum of both. */
package dev.flywheel.scorer.reward;
