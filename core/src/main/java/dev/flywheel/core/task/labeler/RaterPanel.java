package dev.flywheel.core.task.labeler;

import dev.flywheel.core.task.Question;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Several simulated raters who disagree: each has its own profile and random stream, all derived from one seed,
 * so that a panel built from the same seed and profiles gives the same labels for the same calls. Not thread-safe.
 */
public final class RaterPanel {

    private final List<SimulatedRater> raters;
    private final SplittableRandom assignment;

    private RaterPanel(List<SimulatedRater> raters, SplittableRandom assignment) {
        this.raters = List.copyOf(raters);
        this.assignment = assignment;
    }

    /** A panel of the given raters; stream i is the i-th split of the seed's root stream. */
    public static RaterPanel of(long seed, List<RaterProfile> profiles) {
        if (profiles.isEmpty()) {
            throw new IllegalArgumentException("a rater panel needs at least one rater profile");
        }
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom assignment = root.split();
        List<SimulatedRater> raters = new ArrayList<>();
        for (RaterProfile p : profiles) {
            raters.add(new SimulatedRater(p, root.split()));
        }
        return new RaterPanel(raters, assignment);
    }

    /**
     * The standard panel of the bootstrap and the demo: three raters with 5%, 10% and 15% noise, the last of
     * whom prefers a wrong answer to a refusal 10% of the time.
     */
    public static RaterPanel standard(long seed) {
        return of(seed, List.of(
                RaterProfile.noisy("rater-1", 0.05),
                RaterProfile.noisy("rater-2", 0.10),
                new RaterProfile("rater-3", 0.15, 0.10, 0.4)));
    }

    /** The panel's raters, in profile order. */
    public List<SimulatedRater> raters() {
        return raters;
    }

    /** One rater, drawn uniformly from the panel, chooses between two responses. */
    public PairwiseJudgement compare(Question question, String first, String second) {
        return pickRater().compare(question, first, second);
    }

    /** Every rater chooses between the same two responses: their disagreement is visible in the result. */
    public List<PairwiseJudgement> compareByEach(Question question, String first, String second) {
        return raters.stream().map(r -> r.compare(question, first, second)).toList();
    }

    /** One rater, drawn uniformly, gives a thumb for a response. */
    public boolean thumbsUp(Question question, String response) {
        return pickRater().thumbsUp(question, response);
    }

    /** One rater, drawn uniformly, rates a response 1..5. */
    public int rating(Question question, String response) {
        return pickRater().rating(question, response);
    }

    /** A rater drawn uniformly from the panel's own assignment stream. */
    public SimulatedRater pickRater() {
        return raters.get(assignment.nextInt(raters.size()));
    }
}
