package dev.flywheel.core.task;

/**
 * Sizes of the default task; the same config and seed always give the same fact base and data.
 *
 * @param seed                       seeds names, codes and every derived sample
 * @param knownFacts                 facts in the pre-training corpus and SFT
 * @param sftUnknownFacts            facts only in SFT demonstrations
 * @param outOfKnowledgeFacts        facts in no training data, for traffic
 * @param heldOutFacts               further out-of-knowledge facts never used in traffic or any training: the
 *                                   out-of-knowledge evaluation set and held-out comparisons use them
 * @param codeDigits                 digits per code
 * @param refusalFraction            probability that an SFT_UNKNOWN demonstration is answered with the refusal
 *                                   (drawn each epoch): small, so that SFT still teaches guessing but refusal
 *                                   stays in the policy's support
 */
public record TaskConfig(long seed, int knownFacts, int sftUnknownFacts, int outOfKnowledgeFacts, int heldOutFacts,
                         int codeDigits, double refusalFraction) {

    /** Sizes used by the bootstrap and the demo. */
    public static TaskConfig defaults(long seed) {
        return new TaskConfig(seed, 200, 200, 400, 200, 4, 0.08);
    }

    /** Rejects sizes the name space or the formats cannot hold. */
    public TaskConfig {
        requirePositive("knownFacts", knownFacts);
        requirePositive("sftUnknownFacts", sftUnknownFacts);
        requirePositive("outOfKnowledgeFacts", outOfKnowledgeFacts);
        requirePositive("heldOutFacts", heldOutFacts);
        if (codeDigits < 1 || codeDigits > 8) {
            throw new IllegalArgumentException("codeDigits must be in 1..8 so answers fit the context, got " + codeDigits);
        }
        if (!(refusalFraction >= 0 && refusalFraction < 0.5)) {
            throw new IllegalArgumentException("refusalFraction must be in [0, 0.5): SFT must mostly teach guessing, got "
                    + refusalFraction);
        }
        long total = (long) knownFacts + sftUnknownFacts + outOfKnowledgeFacts + heldOutFacts;
        if (total > NameGenerator.capacity() / 2) {
            throw new IllegalArgumentException("at most " + NameGenerator.capacity() / 2 + " facts in total, got " + total
                    + "; shrink the pools");
        }
    }

    /** The same sizes with another seed. */
    public TaskConfig withSeed(long newSeed) {
        return new TaskConfig(newSeed, knownFacts, sftUnknownFacts, outOfKnowledgeFacts, heldOutFacts, codeDigits,
                refusalFraction);
    }

    private static void requirePositive(String what, int n) {
        if (n <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + n);
        }
    }
}
