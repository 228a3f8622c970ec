package dev.flywheel.core.task.labeler;

import dev.flywheel.core.task.Question;
import dev.flywheel.core.task.Verdict;

/**
 * One rater's choice between two responses to the same question, with the exact verdicts for auditing.
 *
 * @param question        the question both responses answer
 * @param chosen          the response the rater preferred
 * @param rejected        the other response
 * @param chosenVerdict   the judge's verdict on {@code chosen}
 * @param rejectedVerdict the judge's verdict on {@code rejected}
 * @param raterId         who chose
 */
public record PairwiseJudgement(Question question, String chosen, String rejected, Verdict chosenVerdict,
                                Verdict rejectedVerdict, String raterId) {

    /** Whether the verdicts differ, so that the choice can be right or wrong at all. */
    public boolean decisive() {
        return chosenVerdict != rejectedVerdict;
    }

    /** Whether the choice agrees with the exact ordering RIGHT &gt; REFUSE &gt; WRONG (ties count as agreeing). */
    public boolean agreesWithJudge() {
        return chosenVerdict.rank() >= rejectedVerdict.rank();
    }
}
