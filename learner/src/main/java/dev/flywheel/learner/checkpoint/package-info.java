/** Atomic learner checkpoints: weights, optimizer, KL controller, step and the consumed offsets trained up to. */
package dev.flywheel.learner.checkpoint;
