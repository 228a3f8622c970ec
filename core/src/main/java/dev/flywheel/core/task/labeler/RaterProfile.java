package dev.flywheel.core.task.labeler;

import java.util.Objects;

/**
 * How one simulated rater deviates from the exact judge.
 *
 * @param id              rater id carried into feedback records
 * @param flipProbability probability that a pairwise choice (or a thumb) is reversed, or that a rating moves one
 *                        step: plain labelling noise
 * @param refusalAversion probability that, comparing a refusal with a wrong answer, the rater prefers the wrong
 *                        answer anyway (a rater who dislikes "I don't know"); applied before the noise
 * @param refusalApproval probability of a thumbs-up for a refusal (right answers get up, wrong ones down)
 */
public record RaterProfile(String id, double flipProbability, double refusalAversion, double refusalApproval) {

    /** Rejects probabilities outside [0, 1] and noise so high that labels carry no signal. */
    public RaterProfile {
        Objects.requireNonNull(id, "id");
        requireProbability(id, "flipProbability", flipProbability);
        requireProbability(id, "refusalAversion", refusalAversion);
        requireProbability(id, "refusalApproval", refusalApproval);
        if (flipProbability >= 0.5) {
            throw new IllegalArgumentException("rater " + id + ": flipProbability must be below 0.5 or labels are "
                    + "anti-correlated with the truth, got " + flipProbability);
        }
    }

    /** A rater with plain noise and no bias about refusals (thumbs-up for a refusal half the time). */
    public static RaterProfile noisy(String id, double flipProbability) {
        return new RaterProfile(id, flipProbability, 0.0, 0.5);
    }

    private static void requireProbability(String id, String what, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("rater " + id + ": " + what + " must be a probability in [0, 1], got " + p);
        }
    }
}
