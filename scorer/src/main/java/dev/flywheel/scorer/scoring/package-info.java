/** Scoring a micro-batch of rollouts with the models in use: one reward-model call and one reference call. */
package dev.flywheel.scorer.scoring;
