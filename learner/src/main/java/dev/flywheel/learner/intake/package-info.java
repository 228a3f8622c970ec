/** The learner's input: a consumer positioned from its checkpoint, not from the group's offsets. */
package dev.flywheel.learner.intake;
