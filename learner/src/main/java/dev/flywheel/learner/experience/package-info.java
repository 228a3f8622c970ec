/** Training examples decoded from the scored-rollout and preference topics, and how they are grouped. */
package dev.flywheel.learner.experience;
