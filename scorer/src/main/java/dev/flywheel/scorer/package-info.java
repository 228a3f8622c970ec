/**
 * The scorer: a Kafka Streams application that turns fw.rollouts into fw.scored-rollouts (reward-model score,
 * judge verdict, reference log-probs, per-token KL and shaped reward) and publishes reward statistics per policy
 * version to fw.metrics. Start it with {@link dev.flywheel.scorer.Scorer#start}.
 */
package dev.flywheel.scorer;
