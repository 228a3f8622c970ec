package dev.flywheel.core.loss;

import static dev.flywheel.core.loss.LossArguments.requireFinite;
import static dev.flywheel.core.loss.LossArguments.requirePositive;

/**
 * Adaptive KL coefficient (Ziegler et al. 2019): e = clip(KL/target − 1, ±0.2), β ← β·(1 + e·n/horizon).
 *
 * <p>Holds the current β, so it is owned by the single learner loop that updates it and is not thread-safe.
 * The 0.2 clip bounds how fast β moves: by at most a factor 1 ± 0.2·n/horizon per update.
 */
public final class AdaptiveKlController implements KlController {

    /** Largest proportional error acted on, so one noisy KL estimate cannot swing β. */
    public static final double MAX_PROPORTIONAL_ERROR = 0.2;

    private final double targetKl;
    private final long horizon;
    private double beta;

    /**
     * @param initialBeta β before the first update, > 0 (a multiplicative controller cannot leave 0)
     * @param targetKl the KL per sample to steer toward, > 0
     * @param horizon number of samples over which a constant error changes β by about e·100 %, > 0
     */
    public AdaptiveKlController(double initialBeta, double targetKl, long horizon) {
        requirePositive("initialBeta", initialBeta);
        requirePositive("targetKl", targetKl);
        if (horizon <= 0) {
            throw new IllegalArgumentException("horizon must be > 0, got " + horizon);
        }
        this.beta = initialBeta;
        this.targetKl = targetKl;
        this.horizon = horizon;
    }

    @Override
    public double beta() {
        return beta;
    }

    /** The KL this controller steers toward. */
    public double targetKl() {
        return targetKl;
    }

    /** The number of samples over which it adapts. */
    public long horizon() {
        return horizon;
    }

    @Override
    public double update(double observedKl, long nSteps) {
        requireFinite("observedKl", observedKl);
        if (nSteps < 0 || nSteps > horizon) {
            // Beyond the horizon the factor 1 + e·n/horizon could reach 0 or below and flip β's sign.
            throw new IllegalArgumentException("nSteps must be in [0, horizon = " + horizon + "], got " + nSteps
                    + "; update once per batch with the batch's sample count");
        }
        double error = Math.max(-MAX_PROPORTIONAL_ERROR,
                Math.min(MAX_PROPORTIONAL_ERROR, observedKl / targetKl - 1));
        beta *= 1 + error * nSteps / horizon;
        return beta;
    }

    @Override
    public String toString() {
        return "AdaptiveKlController[beta=" + beta + ", targetKl=" + targetKl + ", horizon=" + horizon + "]";
    }
}
