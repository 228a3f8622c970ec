package dev.flywheel.core.sampling;

import java.util.Arrays;

/**
 * One generated response.
 *
 * @param tokens   generated token ids, ending with EOS when the model chose to stop
 * @param logProbs per token, {@code log_softmax(logits / temperature)[token]} over the full vocabulary (the
 *                 behaviour log-prob; top-k / top-p truncation is not renormalised into it)
 */
public record Sample(int[] tokens, float[] logProbs) {

    /** Checks one log-prob per token. */
    public Sample {
        if (tokens.length != logProbs.length) {
            throw new IllegalArgumentException(tokens.length + " tokens but " + logProbs.length + " log-probs");
        }
    }

    /** Whether generation stopped because {@code eosId} was drawn (rather than at the length limit). */
    public boolean endsWith(int eosId) {
        return tokens.length > 0 && tokens[tokens.length - 1] == eosId;
    }

    /** Sum of the per-token log-probs: log-probability of the whole response. */
    public double totalLogProb() {
        double s = 0;
        for (float lp : logProbs) {
            s += lp;
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sample s && Arrays.equals(tokens, s.tokens) && Arrays.equals(logProbs, s.logProbs);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(tokens) + Arrays.hashCode(logProbs);
    }

    @Override
    public String toString() {
        return "Sample" + Arrays.toString(tokens);
    }
}
