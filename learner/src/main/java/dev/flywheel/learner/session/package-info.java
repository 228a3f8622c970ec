/** One learner run: restore, position, train batch by batch, publish or roll back, checkpoint. */
package dev.flywheel.learner.session;
