package dev.flywheel.cli.bench.pipeline;

import dev.flywheel.learner.ppo.PolicyGradientConfig;

/**
 * The shape of a pipeline benchmark run, the same on both sides.
 *
 * @param batchSize    examples per batch
 * @param steps        optimizer steps to take
 * @param groupSize    samples per prompt (the GRPO group)
 * @param maxNewTokens longest response sampled for the stream
 * @param seed         seed of the prompts and the sampling
 */
public record PipelineSettings(int batchSize, long steps, int groupSize, int maxNewTokens, long seed) {

    /** The KL coefficient both sides train with, held fixed. */
    static final double BETA = 0.05;

    /** Validates the settings, naming the flag to fix. */
    public PipelineSettings {
        if (batchSize < 2) {
            throw new IllegalArgumentException("--batch-size must be at least 2, got " + batchSize);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be at least 1, got " + steps);
        }
        if (groupSize < 2) {
            throw new IllegalArgumentException("--group-size must be at least 2 (GRPO compares samples of a prompt), "
                    + "got " + groupSize);
        }
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("--max-new-tokens must be at least 1, got " + maxNewTokens);
        }
    }

    /** Optimizer steps one batch takes with the GRPO defaults (epochs × mini-batches). */
    public int stepsPerBatch() {
        PolicyGradientConfig config = PolicyGradientConfig.grouped("grpo");
        return config.epochs() * Math.min(config.miniBatches(), batchSize);
    }

    /** Batches needed to take {@link #steps()} steps (the last batch may overshoot, on both sides alike). */
    public long batches() {
        return (steps + stepsPerBatch() - 1) / stepsPerBatch();
    }

    /** Prompts to sample so that every batch is full: whole groups covering {@code batches × batchSize} records. */
    public int groups() {
        long records = batches() * batchSize;
        return (int) ((records + groupSize - 1) / groupSize);
    }
}
