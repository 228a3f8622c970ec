/** Kafka Streams app: reward-model score, reference KL and shaped reward for every rollout. Arrives with its own issue. */
package dev.flywheel.scorer;
