package dev.flywheel.generator;

import java.time.Duration;

/**
 * One committed batch: one Kafka transaction holding its rollouts, dead letters and consumed prompt offsets.
 *
 * @param policyVersion the one version every rollout of the batch was sampled with
 * @param prompts       prompt records consumed (dead-lettered ones included)
 * @param rollouts      rollouts written
 * @param deadLetters   prompts written to the dead-letter topic
 * @param tokens        response tokens sampled
 * @param latency       from the batch's arrival to its commit
 */
public record BatchReport(long policyVersion, int prompts, int rollouts, int deadLetters, long tokens, Duration latency) {
}
