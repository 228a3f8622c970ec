package dev.flywheel.core.bootstrap;

import java.time.Duration;
import java.util.Locale;

/**
 * What one bootstrap stage did.
 *
 * @param stage     the stage
 * @param steps     steps taken
 * @param firstLoss mean loss over the first reporting window (NaN for stages without a loss)
 * @param finalLoss mean loss over the last reporting window
 * @param time      wall time of the stage
 */
public record StageResult(Stage stage, int steps, double firstLoss, double finalLoss, Duration time) {

    /** E.g. {@code "2000 steps, loss 3.912 → 0.214, 301.2 s"}. */
    public String summary() {
        String loss = Double.isNaN(firstLoss) ? "" : String.format(Locale.ROOT, ", loss %.4f → %.4f", firstLoss, finalLoss);
        return String.format(Locale.ROOT, "%d steps%s, %.1f s", steps, loss, time.toMillis() / 1000.0);
    }
}
