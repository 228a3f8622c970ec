package dev.flywheel.feedback.simulate;

import dev.flywheel.schemas.FeedbackKind;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run of simulated users did.
 *
 * @param prompts        prompts sent
 * @param rollouts       responses to the run's prompts read back
 * @param feedback       feedback records acknowledged by Kafka, per kind
 * @param late           of which stamped late (lateness {@code --late-by})
 * @param failed         feedback or prompts Kafka refused (logged)
 * @param quality        the sent feedback measured against the judge
 * @param promptPhase    wall-clock time prompts were being sent
 * @param elapsed        wall-clock time of the run, drain included
 */
public record SimulationReport(long prompts, long rollouts, Map<FeedbackKind, Long> feedback, long late, long failed,
                               FeedbackQuality.Measures quality, Duration promptPhase,
                               Duration elapsed) {

    /** Copies the per-kind counts. */
    public SimulationReport {
        feedback = Map.copyOf(feedback);
    }

    /** All feedback records sent. */
    public long feedbackTotal() {
        return feedback.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Prompts per second while prompts were being sent. */
    public double promptRate() {
        return prompts / Math.max(1e-9, promptPhase.toMillis() / 1000.0);
    }

    /** A few lines for a terminal. */
    public String summary() {
        return String.format("%d prompts (%.1f/s), %d responses, %d feedback %s (%d late, %d failed) in %.1fs%n"
                        + "measured against the judge: %s", prompts, promptRate(), rollouts, feedbackTotal(),
                new TreeMap<>(feedback), late, failed, elapsed.toMillis() / 1000.0, quality.summary());
    }
}
