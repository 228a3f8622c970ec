package dev.flywheel.core.loss;

/** Chooses the KL penalty coefficient β that the learner applies to the per-token KL to the reference. */
public interface KlController {

    /** The coefficient to use for the next update. */
    double beta();

    /**
     * Feeds the KL observed over the last {@code nSteps} samples and returns the coefficient to use next.
     *
     * @param observedKl mean KL to the reference measured on the last batch (finite, may be slightly negative)
     * @param nSteps how many samples that batch held, {@code 0 <= nSteps}
     */
    double update(double observedKl, long nSteps);

    /** A constant β that ignores the observed KL. */
    static KlController fixed(double beta) {
        return new FixedKlController(beta);
    }

    /** The adaptive controller of Ziegler et al. (2019), steering the KL toward {@code targetKl}. */
    static KlController adaptive(double initialBeta, double targetKl, long horizon) {
        return new AdaptiveKlController(initialBeta, targetKl, horizon);
    }
}
