package dev.flywheel.core.task;

/**
 * Relative weights of the question kinds simulated users ask; they need not sum to one.
 *
 * @param knownFacts          facts the model knows
 * @param sums                single-digit sums (in knowledge)
 * @param sftUnknownFacts     facts seen only in SFT
 * @param outOfKnowledgeFacts facts the model cannot know
 */
public record TrafficMix(double knownFacts, double sums, double sftUnknownFacts, double outOfKnowledgeFacts) {

    /** Default traffic: 40% known facts, 20% sums, 40% out-of-knowledge facts. */
    public static final TrafficMix DEFAULT = new TrafficMix(0.4, 0.2, 0.0, 0.4);

    /** Rejects negative or all-zero weights. */
    public TrafficMix {
        double[] w = {knownFacts, sums, sftUnknownFacts, outOfKnowledgeFacts};
        double total = 0;
        for (double x : w) {
            if (!(x >= 0) || Double.isInfinite(x)) {
                throw new IllegalArgumentException("traffic weights must be finite and non-negative, got " + this);
            }
            total += x;
        }
        if (total <= 0) {
            throw new IllegalArgumentException("at least one traffic weight must be positive, got " + this);
        }
    }

    double total() {
        return knownFacts + sums + sftUnknownFacts + outOfKnowledgeFacts;
    }

    @Override
    public String toString() {
        return "TrafficMix[known=" + knownFacts + ", sums=" + sums + ", sftUnknown=" + sftUnknownFacts
                + ", outOfKnowledge=" + outOfKnowledgeFacts + "]";
    }
}
