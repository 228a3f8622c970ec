package dev.flywheel.core.task;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The simulated users: an endless, deterministic stream of questions drawn with a {@link TrafficMix}.
 * Out-of-knowledge traffic only asks about the traffic part of that pool, never the held-out facts. Not
 * thread-safe: give each producer its own source (for example with a seed derived from its id).
 */
public final class QuestionSource {

    private final FactBase facts;
    private final TrafficMix mix;
    private final SplittableRandom random;

    /** A source over the given facts, mix and seed. */
    public QuestionSource(FactBase facts, TrafficMix mix, long seed) {
        this.facts = facts;
        this.mix = mix;
        this.random = new SplittableRandom(seed);
    }

    /** The next question. */
    public Question next() {
        double u = random.nextDouble() * mix.total();
        if ((u -= mix.knownFacts()) < 0) {
            return pick(facts.known());
        }
        if ((u -= mix.sums()) < 0) {
            return randomSum(random);
        }
        if ((u -= mix.sftUnknownFacts()) < 0) {
            return pick(facts.sftUnknown());
        }
        return pick(facts.outOfKnowledge());
    }

    /** The next {@code n} questions. */
    public List<Question> take(int n) {
        List<Question> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(next());
        }
        return out;
    }

    /** A uniformly random single-digit sum question. */
    static Question randomSum(SplittableRandom random) {
        return sum(random.nextInt(10), random.nextInt(10));
    }

    /** The sum question a+b. */
    static Question sum(int a, int b) {
        return new Question(TaskFormat.sumPrompt(a, b), QuestionKind.SUM, Pool.KNOWN, String.valueOf(a + b));
    }

    private Question pick(List<Fact> pool) {
        return pool.get(random.nextInt(pool.size())).question();
    }
}
