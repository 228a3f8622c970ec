/** Reward statistics per policy version and tumbling window, published to fw.metrics as STAT points. */
package dev.flywheel.scorer.stats;
