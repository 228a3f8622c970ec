package dev.flywheel.feedback.simulate;

import dev.flywheel.core.task.TrafficMix;
import dev.flywheel.schemas.FeedbackKind;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * What the simulated users do.
 *
 * @param runId          prefix of every prompt id of the run; rollouts of other prompts are ignored
 * @param rate           prompts per second
 * @param duration       how long prompts are sent, or {@code null} until stopped
 * @param drain          how long to keep rating responses after the last prompt
 * @param seed           seeds questions and every rater decision
 * @param taskSeed       seed of the default task's fact base; must match the bootstrap's for the judge to know the facts
 * @param mix            which kinds of question users ask
 * @param raters         size of the rater crowd
 * @param ratersPerItem  how many raters give feedback on each response and each pair
 * @param noise          probability that an item's shared label is wrong (all its raters see the same misleading item)
 * @param disagreement   probability that one rater departs from the item's shared label
 * @param feedbackDelay  wall-clock delay between seeing a response and sending feedback; also its event-time offset
 * @param lateFraction   share of feedback stamped {@code lateBy} after its response instead
 * @param lateBy         event-time lateness of late feedback
 * @param kinds          feedback kinds to give: THUMBS per response, PAIRWISE per pair of a group, RATING per response
 */
public record SimulationSettings(String runId, double rate, Duration duration, Duration drain, long seed, long taskSeed,
                                 TrafficMix mix, int raters, int ratersPerItem, double noise, double disagreement,
                                 Duration feedbackDelay, double lateFraction, Duration lateBy, Set<FeedbackKind> kinds) {

    /** Checks every setting and names the flag that fixes a bad one. */
    public SimulationSettings {
        if (runId == null || !runId.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("--run-id '" + runId + "' must hold only letters, digits, '.', '_' and '-'");
        }
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("--rate must be a positive number of prompts per second, was " + rate);
        }
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException("--duration must be positive, e.g. PT60S, was " + duration);
        }
        Objects.requireNonNull(drain, "drain");
        Objects.requireNonNull(mix, "mix");
        if (raters < 1 || ratersPerItem < 1 || ratersPerItem > raters) {
            throw new IllegalArgumentException("--raters-per-item (" + ratersPerItem + ") must be between 1 and --raters ("
                    + raters + ")");
        }
        requireBelowHalf("--noise", noise);
        requireBelowHalf("--disagreement", disagreement);
        if (!(lateFraction >= 0 && lateFraction <= 1)) {
            throw new IllegalArgumentException("--late-fraction must be in [0, 1], was " + lateFraction);
        }
        if (feedbackDelay.isNegative() || lateBy.isNegative()) {
            throw new IllegalArgumentException("--feedback-delay and --late-by must not be negative");
        }
        kinds = Set.copyOf(kinds);
        if (kinds.isEmpty() || !Set.of(FeedbackKind.THUMBS, FeedbackKind.PAIRWISE, FeedbackKind.RATING).containsAll(kinds)) {
            throw new IllegalArgumentException("--kinds must list some of THUMBS, PAIRWISE, RATING, was " + kinds);
        }
    }

    /**
     * The defaults for a run id: 5 prompts/s until stopped, 10 s drain, default traffic, 5 raters with 3 per item,
     * 5% noise, 10% disagreement, 1 s delay, 5% of feedback 30 minutes late, thumbs and pairwise.
     */
    public static SimulationSettings defaults(String runId, long seed, long taskSeed) {
        return new SimulationSettings(runId, 5.0, null, Duration.ofSeconds(10), seed, taskSeed, TrafficMix.DEFAULT, 5, 3,
                0.05, 0.10, Duration.ofSeconds(1), 0.05, Duration.ofMinutes(30),
                Set.of(FeedbackKind.THUMBS, FeedbackKind.PAIRWISE));
    }

    /** The same settings with another rate and duration. */
    public SimulationSettings withLoad(double newRate, Duration newDuration) {
        return new SimulationSettings(runId, newRate, newDuration, drain, seed, taskSeed, mix, raters, ratersPerItem, noise,
                disagreement, feedbackDelay, lateFraction, lateBy, kinds);
    }

    /** The same settings with other rater behaviour. */
    public SimulationSettings withRaters(int crowd, int perItem, double newNoise, double newDisagreement) {
        return new SimulationSettings(runId, rate, duration, drain, seed, taskSeed, mix, crowd, perItem, newNoise,
                newDisagreement, feedbackDelay, lateFraction, lateBy, kinds);
    }

    /** The same settings with other delays. */
    public SimulationSettings withTiming(Duration delay, double newLateFraction, Duration newLateBy, Duration newDrain) {
        return new SimulationSettings(runId, rate, duration, newDrain, seed, taskSeed, mix, raters, ratersPerItem, noise,
                disagreement, delay, newLateFraction, newLateBy, kinds);
    }

    /** The same settings with other feedback kinds. */
    public SimulationSettings withKinds(Set<FeedbackKind> newKinds) {
        return new SimulationSettings(runId, rate, duration, drain, seed, taskSeed, mix, raters, ratersPerItem, noise,
                disagreement, feedbackDelay, lateFraction, lateBy, newKinds);
    }

    private static void requireBelowHalf(String flag, double p) {
        if (!(p >= 0 && p < 0.5)) {
            throw new IllegalArgumentException(flag + " must be a probability in [0, 0.5) (above, labels would be "
                    + "anti-correlated with the truth), was " + p);
        }
    }
}
