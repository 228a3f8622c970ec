/** Grading published policies on the default task's held-out questions. */
package dev.flywheel.learner.eval;
