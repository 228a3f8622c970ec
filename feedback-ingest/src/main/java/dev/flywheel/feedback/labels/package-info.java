/**
 * Human reward labels: THUMBS, RATING and ABSTAIN_OK feedback as {@code ScoredRollout}s with reward source HUMAN on
 * the scored-rollouts topic, so reward-model training reads human and model-scored rollouts from one topic.
 */
package dev.flywheel.feedback.labels;
