/** What every learning algorithm offers the learner service: train a batch, report it, save and restore state. */
package dev.flywheel.learner.train;
