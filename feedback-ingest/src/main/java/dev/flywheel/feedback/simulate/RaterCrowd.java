package dev.flywheel.feedback.simulate;

import dev.flywheel.core.task.Question;
import dev.flywheel.core.task.labeler.PairwiseJudgement;
import dev.flywheel.core.task.labeler.RaterProfile;
import dev.flywheel.core.task.labeler.SimulatedRater;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A crowd of simulated raters whose every decision is a pure function of the seed, the item and the rater, so a
 * run's labels do not depend on the order responses arrive in.
 *
 * <p>Two sources of error, as with human annotators: each item has a shared label, wrong with probability
 * {@code noise} (the item misleads everyone); each rater departs from the shared label with probability
 * {@code disagreement} (core's {@link SimulatedRater} noise). Two raters then disagree on an item with probability
 * 2δ(1−δ), and one rater is wrong with probability ε(1−δ) + (1−ε)δ.
 */
public final class RaterCrowd {
    private final long seed;
    private final int size;
    private final int perItem;
    private final double noise;
    private final double disagreement;

    /** A crowd of {@code size} raters, {@code perItem} of whom judge each item. */
    public RaterCrowd(long seed, int size, int perItem, double noise, double disagreement) {
        this.seed = seed;
        this.size = size;
        this.perItem = perItem;
        this.noise = noise;
        this.disagreement = disagreement;
    }

    /** The raters who judge {@code item}, distinct, in crowd order. */
    public List<String> ratersFor(String item) {
        SplittableRandom random = random(item, "raters");
        List<Integer> all = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            all.add(i);
        }
        List<Integer> chosen = new ArrayList<>();
        for (int k = 0; k < perItem; k++) {
            chosen.add(all.remove(random.nextInt(all.size())));
        }
        chosen.sort(Integer::compare);
        return chosen.stream().map(i -> "rater-" + i).toList();
    }

    /** Whether {@code rater} gives a thumbs up to {@code response}, judged as item {@code item}. */
    public boolean thumbsUp(String item, String rater, Question question, String response) {
        return rater(item, rater).thumbsUp(question, response) ^ misleading(item);
    }

    /** {@code rater}'s 1..5 rating of {@code response}; a misleading item is rated mirrored. */
    public int rating(String item, String rater, Question question, String response) {
        int rating = rater(item, rater).rating(question, response);
        return misleading(item) ? 6 - rating : rating;
    }

    /** {@code rater}'s choice between two responses to {@code question}, compared as item {@code item}. */
    public PairwiseJudgement compare(String item, String rater, Question question, String first, String second) {
        PairwiseJudgement judgement = rater(item, rater).compare(question, first, second);
        return misleading(item) ? new PairwiseJudgement(question, judgement.rejected(), judgement.chosen(),
                judgement.rejectedVerdict(), judgement.chosenVerdict(), rater) : judgement;
    }

    /** Whether an event of probability {@code p} happens for this item and purpose. */
    public boolean chance(String item, String purpose, double p) {
        return random(item, purpose).nextDouble() < p;
    }

    private boolean misleading(String item) {
        return chance(item, "shared-label", noise);
    }

    private SimulatedRater rater(String item, String rater) {
        return new SimulatedRater(new RaterProfile(rater, disagreement, 0.0, 0.5), random(item, rater));
    }

    private SplittableRandom random(String... parts) {
        long h = seed;
        for (String part : parts) {
            h = h * 0x9E3779B97F4A7C15L + part.hashCode();
            h ^= h >>> 31;
        }
        return new SplittableRandom(new SplittableRandom(h).nextLong());
    }
}
