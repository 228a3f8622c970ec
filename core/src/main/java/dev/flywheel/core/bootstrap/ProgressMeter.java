package dev.flywheel.core.bootstrap;

import java.time.Duration;

/**
 * Turns a stage's steps and losses into {@link Progress} reports at a steady cadence and remembers the loss at
 * the start and the end of the stage for the report.
 */
final class ProgressMeter {

    private static final int WINDOW = 20;

    private final Stage stage;
    private final int totalSteps;
    private final BootstrapListener listener;
    private final int every;
    private final long startNanos = System.nanoTime();
    private double windowSum;
    private int windowCount;
    private double firstLoss = Double.NaN;
    private double lastLoss = Double.NaN;
    private int step;

    ProgressMeter(Stage stage, int totalSteps, BootstrapListener listener) {
        this.stage = stage;
        this.totalSteps = totalSteps;
        this.listener = listener;
        this.every = Math.max(1, Math.min(WINDOW, totalSteps / 50));
        listener.stageStarted(stage, totalSteps);
    }

    /** Records one step's loss (NaN when the step has none), reporting every few steps and on the last one. */
    void step(double loss) {
        step++;
        if (!Double.isNaN(loss)) {
            windowSum += loss;
            windowCount++;
        }
        if (step % every == 0 || step == totalSteps) {
            double mean = windowCount == 0 ? Double.NaN : windowSum / windowCount;
            if (Double.isNaN(firstLoss)) {
                firstLoss = mean;
            }
            lastLoss = mean;
            windowSum = 0;
            windowCount = 0;
            double seconds = elapsed().toNanos() / 1e9;
            double rate = seconds > 0 ? step / seconds : 0;
            long etaMillis = rate > 0 ? (long) ((totalSteps - step) / rate * 1000) : 0;
            listener.progress(new Progress(stage, step, totalSteps, mean, rate, Duration.ofMillis(etaMillis)));
        }
    }

    /** Ends the stage, telling the listener, and returns what it did. */
    StageResult finish(String summary) {
        StageResult result = new StageResult(stage, step, firstLoss, lastLoss, elapsed());
        listener.stageFinished(stage, summary.isEmpty() ? result.summary() : result.summary() + ", " + summary);
        return result;
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
