/** Checks a decoded rollout can be scored, so a bad record is dead-lettered instead of failing a batch. */
package dev.flywheel.scorer.validation;
