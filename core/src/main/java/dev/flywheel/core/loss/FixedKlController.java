package dev.flywheel.core.loss;

import static dev.flywheel.core.loss.LossArguments.requireFinite;

/** A KL coefficient that never changes; {@link #update} only checks its arguments. */
public record FixedKlController(double beta) implements KlController {

    /** Validates that β is a finite, non-negative number (0 switches the KL penalty off). */
    public FixedKlController {
        if (!Double.isFinite(beta) || beta < 0) {
            throw new IllegalArgumentException("beta must be a finite number >= 0, got " + beta);
        }
    }

    @Override
    public double update(double observedKl, long nSteps) {
        requireFinite("observedKl", observedKl);
        if (nSteps < 0) {
            throw new IllegalArgumentException("nSteps must be >= 0, got " + nSteps);
        }
        return beta;
    }
}
