/**
 * When the generator stops taking prompts: while its policy is too stale, and while the downstream consumer group
 * (the learner) lags too far behind; both pause the prompt partitions and hold the next batch.
 */
package dev.flywheel.generator.backpressure;
