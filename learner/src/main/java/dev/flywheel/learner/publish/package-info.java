/** Publishing versions: the guards a version must pass and the record that announces it. */
package dev.flywheel.learner.publish;
