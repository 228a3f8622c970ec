package dev.flywheel.core.bootstrap;

import java.time.Duration;

/**
 * One progress report of a bootstrap stage.
 *
 * @param stage          the running stage
 * @param step           steps done so far in this stage (1-based after the first step)
 * @param totalSteps     steps this stage will take
 * @param loss           the latest training loss (a running mean over recent steps), NaN where none applies
 * @param stepsPerSecond recent throughput
 * @param eta            estimated time left in this stage
 */
public record Progress(Stage stage, int step, int totalSteps, double loss, double stepsPerSecond, Duration eta) {

    /** Fraction of the stage done, in [0, 1]. */
    public double fraction() {
        return totalSteps == 0 ? 1.0 : Math.min(1.0, step / (double) totalSteps);
    }

    /** A one-line rendering, e.g. {@code "sft 120/400 loss 0.8123 6.9 steps/s eta 41s"} (no loss when NaN). */
    public String line() {
        String lossPart = Double.isNaN(loss) ? "" : String.format(java.util.Locale.ROOT, " loss %.4f", loss);
        return String.format(java.util.Locale.ROOT, "%s %d/%d%s %.1f steps/s eta %ds",
                stage.label(), step, totalSteps, lossPart, stepsPerSecond, eta.toSeconds());
    }
}
