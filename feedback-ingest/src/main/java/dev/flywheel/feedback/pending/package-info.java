/** Feedback that waits in a state store for the rollout it names, with the coordinates its dead letter needs. */
package dev.flywheel.feedback.pending;
