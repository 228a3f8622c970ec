/** From consumed records to training examples: filtering, staleness, group assembly and RM-ranked pairs. */
package dev.flywheel.learner.feed;
