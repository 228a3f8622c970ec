package dev.flywheel.core.bootstrap;

import dev.flywheel.core.task.Verdict;
import java.util.List;

/**
 * How a policy's answers to one evaluation set split into right, refuse and wrong.
 *
 * @param right  fraction judged RIGHT
 * @param refuse fraction judged REFUSE
 * @param wrong  fraction judged WRONG (hallucinations, malformed replies)
 * @param count  number of questions graded
 */
public record VerdictRates(double right, double refuse, double wrong, int count) {

    /** The rates of a list of verdicts. */
    public static VerdictRates of(List<Verdict> verdicts) {
        if (verdicts.isEmpty()) {
            throw new IllegalArgumentException("no verdicts to summarise");
        }
        int[] counts = new int[Verdict.values().length];
        verdicts.forEach(v -> counts[v.ordinal()]++);
        double n = verdicts.size();
        return new VerdictRates(counts[Verdict.RIGHT.ordinal()] / n, counts[Verdict.REFUSE.ordinal()] / n,
                counts[Verdict.WRONG.ordinal()] / n, verdicts.size());
    }

    /** Percentages, e.g. {@code "right 93.3% refuse 0.0% wrong 6.7% (n=300)"}. */
    public String summary() {
        return String.format(java.util.Locale.ROOT, "right %.1f%% refuse %.1f%% wrong %.1f%% (n=%d)",
                100 * right, 100 * refuse, 100 * wrong, count);
    }
}
