package dev.flywheel.learner.publish;

/**
 * Bounds a version must stay within to be published.
 *
 * @param maxKl           most mean sequence KL to the reference (nats)
 * @param maxKlJump       most the KL may rise over one publish interval while the reward rises
 * @param maxLengthChange most relative change of the mean response length over one interval while the reward rises
 */
public record GuardBounds(double maxKl, double maxKlJump, double maxLengthChange) {

    /** Checks every bound is positive. */
    public GuardBounds {
        if (!(maxKl > 0) || !(maxKlJump > 0) || !(maxLengthChange > 0)) {
            throw new IllegalArgumentException("--max-kl, --max-kl-jump and --max-length-change must be > 0, got "
                    + maxKl + ", " + maxKlJump + ", " + maxLengthChange);
        }
    }

    /** Defaults for the default task: KL ≤ 10 nats, KL jump ≤ 3 nats, length change ≤ 50%. */
    public static GuardBounds defaults() {
        return new GuardBounds(10.0, 3.0, 0.5);
    }
}
