package dev.flywheel.core.task.labeler;

import dev.flywheel.core.task.Judge;
import dev.flywheel.core.task.Question;
import dev.flywheel.core.task.Verdict;
import java.util.SplittableRandom;

/**
 * A simulated human rater: prefers RIGHT &gt; REFUSE &gt; WRONG by the exact judge, breaks ties at random, and
 * deviates from that ordering as its {@link RaterProfile} says, with its own random stream. Not thread-safe.
 */
public final class SimulatedRater {

    private final RaterProfile profile;
    private final SplittableRandom random;

    /** A rater with a profile and its own random stream. */
    public SimulatedRater(RaterProfile profile, SplittableRandom random) {
        this.profile = profile;
        this.random = random;
    }

    /** A rater whose stream starts from a seed. */
    public static SimulatedRater seeded(RaterProfile profile, long seed) {
        return new SimulatedRater(profile, new SplittableRandom(seed));
    }

    /** The rater's profile. */
    public RaterProfile profile() {
        return profile;
    }

    /** Chooses between two responses to the same question. */
    public PairwiseJudgement compare(Question question, String first, String second) {
        Verdict a = Judge.verdict(question, first);
        Verdict b = Judge.verdict(question, second);
        boolean preferFirst;
        if (a == b) {
            preferFirst = random.nextBoolean();
        } else {
            preferFirst = a.rank() > b.rank();
            if (isRefusalAgainstWrong(a, b) && random.nextDouble() < profile.refusalAversion()) {
                preferFirst = a == Verdict.WRONG;
            }
            if (random.nextDouble() < profile.flipProbability()) {
                preferFirst = !preferFirst;
            }
        }
        return preferFirst
                ? new PairwiseJudgement(question, first, second, a, b, profile.id())
                : new PairwiseJudgement(question, second, first, b, a, profile.id());
    }

    /** Thumbs up (true) or down for one response: up for RIGHT, down for WRONG, a coin of the profile for REFUSE. */
    public boolean thumbsUp(Question question, String response) {
        boolean up = switch (Judge.verdict(question, response)) {
            case RIGHT -> true;
            case WRONG -> false;
            case REFUSE -> random.nextDouble() < profile.refusalApproval();
        };
        return random.nextDouble() < profile.flipProbability() ? !up : up;
    }

    /** A 1..5 rating: RIGHT 5, REFUSE 3, WRONG 1, moved one step either way (clamped) with the noise probability. */
    public int rating(Question question, String response) {
        int rating = switch (Judge.verdict(question, response)) {
            case RIGHT -> 5;
            case REFUSE -> 3;
            case WRONG -> 1;
        };
        if (random.nextDouble() < profile.flipProbability()) {
            rating += random.nextBoolean() ? 1 : -1;
        }
        return Math.max(1, Math.min(5, rating));
    }

    private static boolean isRefusalAgainstWrong(Verdict a, Verdict b) {
        return (a == Verdict.REFUSE && b == Verdict.WRONG) || (a == Verdict.WRONG && b == Verdict.REFUSE);
    }
}
