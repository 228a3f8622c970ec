package dev.flywheel.core.sampling;

/**
 * How to draw responses.
 *
 * @param temperature   divides the logits before softmax; must be &gt; 0 (use {@code topK = 1} for greedy)
 * @param topK          keep only the k most likely tokens; 0 keeps all
 * @param topP          keep the smallest most-likely set whose probability reaches p (nucleus); 1 keeps all
 * @param maxNewTokens  generate at most this many tokens (fewer if the model's context ends first)
 * @param seed          same seed, prompts and model → same tokens; each row draws from its own stream split from this seed
 */
public record SamplingParams(float temperature, int topK, float topP, int maxNewTokens, long seed) {

    /** Validates and names the wrong field. */
    public SamplingParams {
        if (!(temperature > 0f) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number > 0, got " + temperature
                    + " (for greedy decoding use topK=1)");
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0 (0 = off), got " + topK);
        }
        if (!(topP > 0f && topP <= 1f)) {
            throw new IllegalArgumentException("topP must be in (0, 1] (1 = off), got " + topP);
        }
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be at least 1, got " + maxNewTokens);
        }
    }

    /** Plain sampling from the model's distribution at temperature 1. */
    public static SamplingParams of(int maxNewTokens, long seed) {
        return new SamplingParams(1f, 0, 1f, maxNewTokens, seed);
    }

    /** Always the most likely token (ties → lowest id). */
    public static SamplingParams greedy(int maxNewTokens) {
        return new SamplingParams(1f, 1, 1f, maxNewTokens, 0L);
    }

    /** Same parameters with another temperature. */
    public SamplingParams withTemperature(float t) {
        return new SamplingParams(t, topK, topP, maxNewTokens, seed);
    }

    /** Same parameters with top-k truncation. */
    public SamplingParams withTopK(int k) {
        return new SamplingParams(temperature, k, topP, maxNewTokens, seed);
    }

    /** Same parameters with nucleus truncation. */
    public SamplingParams withTopP(float p) {
        return new SamplingParams(temperature, topK, p, maxNewTokens, seed);
    }

    /** Same parameters with another seed. */
    public SamplingParams withSeed(long s) {
        return new SamplingParams(temperature, topK, topP, maxNewTokens, s);
    }
}
