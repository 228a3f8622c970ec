package dev.flywheel.core.sampling;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws one token from a row of log-probabilities with temperature already applied, honouring top-k and top-p.
 *
 * <p>Runs on the Java side in double precision with a per-row {@link SplittableRandom}, so the choice depends only
 * on the seed and the log-probs, not on thread scheduling or the engine's RNG.
 */
final class TokenChooser {

    private final SamplingParams params;

    TokenChooser(SamplingParams params) {
        this.params = params;
    }

    /** Token id drawn from {@code logProbs[offset .. offset+vocab)}. */
    int choose(float[] logProbs, int offset, int vocab, SplittableRandom rng) {
        boolean truncate = params.topK() > 0 || params.topP() < 1f;
        Integer[] order = truncate ? byDescendingProbability(logProbs, offset, vocab) : null;
        int kept = vocab;
        if (params.topK() > 0) {
            kept = Math.min(kept, params.topK());
        }
        if (params.topP() < 1f) {
            double cumulative = 0;
            for (int i = 0; i < kept; i++) {
                cumulative += Math.exp(logProbs[offset + order[i]]);
                if (cumulative >= params.topP()) {
                    kept = i + 1;
                    break;
                }
            }
        }
        double total = 0;
        for (int i = 0; i < kept; i++) {
            total += Math.exp(logProbs[offset + (truncate ? order[i] : i)]);
        }
        double u = rng.nextDouble() * total;
        int last = 0;
        for (int i = 0; i < kept; i++) {
            int id = truncate ? order[i] : i;
            double p = Math.exp(logProbs[offset + id]);
            if (p > 0) {
                last = id;
            }
            u -= p;
            if (u < 0) {
                return id;
            }
        }
        // Rounding can leave u a hair above 0 after the last candidate: take the last one with mass.
        return last;
    }

    private static Integer[] byDescendingProbability(float[] logProbs, int offset, int vocab) {
        Integer[] order = new Integer[vocab];
        for (int i = 0; i < vocab; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int c = Float.compare(logProbs[offset + b], logProbs[offset + a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        return order;
    }
}
