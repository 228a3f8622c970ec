package dev.flywheel.feedback.simulate;

import dev.flywheel.core.task.Judge;
import dev.flywheel.core.task.Pool;
import dev.flywheel.core.task.Question;
import dev.flywheel.core.task.QuestionKind;
import dev.flywheel.core.task.Verdict;
import dev.flywheel.core.task.labeler.PairwiseJudgement;
import dev.flywheel.schemas.Feedback;
import dev.flywheel.schemas.FeedbackKind;
import dev.flywheel.schemas.Rollout;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The feedback the crowd gives on one group of responses to a prompt: THUMBS and RATING on each response, PAIRWISE
 * on each pair of consecutive samples, each by the item's raters, stamped with the delay (or the lateness) in event
 * time. Ids are stable: {@code <runId>-f-<kind>-<item>-<rater>}.
 */
public final class FeedbackPlanner {
    private final SimulationSettings settings;
    private final RaterCrowd crowd;
    private final FeedbackQuality quality = new FeedbackQuality();

    /** A planner for a run. */
    public FeedbackPlanner(SimulationSettings settings) {
        this.settings = settings;
        this.crowd = new RaterCrowd(settings.seed(), settings.raters(), settings.ratersPerItem(), settings.noise(),
                settings.disagreement());
    }

    /** What the planner has produced so far, measured against the judge. */
    public FeedbackQuality.Measures quality() {
        return quality.measures();
    }

    /** The feedback on a complete group of rollouts (sorted by group index) to one prompt. */
    public List<Feedback> plan(List<Rollout> group) {
        Question question = question(group.get(0));
        List<Feedback> out = new ArrayList<>();
        for (Rollout rollout : group) {
            if (settings.kinds().contains(FeedbackKind.THUMBS)) {
                Verdict verdict = Judge.verdict(question, rollout.getResponse());
                List<Boolean> correct = new ArrayList<>();
                for (String rater : crowd.ratersFor(rollout.getId())) {
                    boolean up = crowd.thumbsUp(rollout.getId(), rater, question, rollout.getResponse());
                    out.add(feedback(FeedbackKind.THUMBS, rollout, rater, up ? 1 : -1).build());
                    correct.add(up == (verdict == Verdict.RIGHT));
                }
                if (verdict != Verdict.REFUSE) {
                    quality.item(correct);
                }
            }
            if (settings.kinds().contains(FeedbackKind.RATING)) {
                for (String rater : crowd.ratersFor(rollout.getId() + "|rating")) {
                    int rating = crowd.rating(rollout.getId(), rater, question, rollout.getResponse());
                    out.add(feedback(FeedbackKind.RATING, rollout, rater, rating).build());
                }
            }
        }
        if (settings.kinds().contains(FeedbackKind.PAIRWISE)) {
            for (int i = 0; i + 1 < group.size(); i++) {
                out.addAll(compare(question, group.get(i), group.get(i + 1)));
            }
        }
        return out;
    }

    private List<Feedback> compare(Question question, Rollout a, Rollout b) {
        String item = a.getId() + "|" + b.getId();
        List<Feedback> out = new ArrayList<>();
        List<Boolean> correct = new ArrayList<>();
        boolean decisive = false;
        for (String rater : crowd.ratersFor(item)) {
            PairwiseJudgement choice = crowd.compare(item, rater, question, a.getResponse(), b.getResponse());
            boolean prefersA = choice.chosen().equals(a.getResponse()) && !a.getResponse().equals(b.getResponse());
            if (a.getResponse().equals(b.getResponse())) {
                out.add(feedback(FeedbackKind.PAIRWISE, a, rater, 0).setOtherResponseId(b.getId()).build());
                continue;
            }
            out.add(feedback(FeedbackKind.PAIRWISE, a, rater, prefersA ? 1 : -1).setOtherResponseId(b.getId()).build());
            decisive = choice.decisive();
            correct.add(choice.chosenVerdict().rank() > choice.rejectedVerdict().rank());
        }
        if (decisive) {
            quality.item(correct);
        }
        return out;
    }

    private Feedback.Builder feedback(FeedbackKind kind, Rollout rollout, String rater, double value) {
        boolean late = crowd.chance(rollout.getId(), "late|" + kind + "|" + rater, settings.lateFraction());
        Duration after = late ? settings.lateBy() : settings.feedbackDelay();
        Instant ts = rollout.getTs().plus(after);
        return Feedback.newBuilder().setId(settings.runId() + "-f-" + kind.name().toLowerCase(Locale.ROOT) + "-"
                        + rollout.getId() + "-" + rater).setTs(ts).setResponseId(rollout.getId()).setKind(kind)
                .setValue(value).setRaterId(rater).setPromptId(rollout.getPromptId()).setTenant(rollout.getTenant());
    }

    /** The question a rollout answers, from the metadata the prompt carried. */
    static Question question(Rollout rollout) {
        String answer = rollout.getMetadata().get("task.answer");
        if (answer == null) {
            throw new IllegalArgumentException("rollout " + rollout.getId() + " lost the prompt's 'task.answer' metadata");
        }
        QuestionKind kind = "sum".equals(rollout.getMetadata().get("task.kind")) ? QuestionKind.SUM : QuestionKind.FACT;
        Pool pool = "in".equals(rollout.getMetadata().get("task.knowledge")) ? Pool.KNOWN : Pool.OUT_OF_KNOWLEDGE;
        return new Question(rollout.getPrompt(), kind, pool, answer);
    }
}
