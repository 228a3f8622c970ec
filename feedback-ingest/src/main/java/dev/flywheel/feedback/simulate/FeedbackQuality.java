package dev.flywheel.feedback.simulate;

import dev.flywheel.core.task.Judge;
import dev.flywheel.core.task.Verdict;
import dev.flywheel.schemas.Feedback;
import dev.flywheel.schemas.FeedbackKind;
import dev.flywheel.schemas.Rollout;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures how noisy feedback is against the exact judge, and how much raters disagree, on decisive items only
 * (a thumb on a RIGHT or WRONG response; a pairwise choice between responses of different verdicts).
 *
 * <p>From the per-judgement error rate e and the rate q at which two raters of one item differ, it recovers the
 * crowd's parameters: disagreement δ = (1 − √(1 − 2q)) / 2 and noise ε = (e − δ) / (1 − 2δ) (see {@link RaterCrowd}).
 */
public final class FeedbackQuality {
    private long judgements;
    private long errors;
    private long raterPairs;
    private long differingPairs;
    private long items;

    /**
     * The measures.
     *
     * @param noise            estimated probability that an item's shared label is wrong
     * @param disagreement     estimated probability that a rater departs from the shared label
     * @param errorRate        share of judgements that contradict the judge
     * @param pairDisagreement share of pairs of raters on one item who differ
     * @param judgements       decisive judgements measured
     * @param items            decisive items measured
     */
    public record Measures(double noise, double disagreement, double errorRate, double pairDisagreement,
                           long judgements, long items) {
        /** One line for reports. */
        public String summary() {
            return String.format("noise %.3f, disagreement %.3f (error rate %.3f, rater pairs differing %.3f; "
                    + "%d judgements on %d decisive items)", noise, disagreement, errorRate, pairDisagreement, judgements, items);
        }
    }

    /** Adds one decisive item: for each rater, whether their judgement agreed with the judge. */
    public synchronized void item(List<Boolean> agreesWithJudge) {
        items++;
        for (int i = 0; i < agreesWithJudge.size(); i++) {
            judgements++;
            errors += agreesWithJudge.get(i) ? 0 : 1;
            for (int j = i + 1; j < agreesWithJudge.size(); j++) {
                raterPairs++;
                differingPairs += agreesWithJudge.get(i).equals(agreesWithJudge.get(j)) ? 0 : 1;
            }
        }
    }

    /** The measures so far. */
    public synchronized Measures measures() {
        double e = judgements == 0 ? 0 : (double) errors / judgements;
        double q = raterPairs == 0 ? 0 : (double) differingPairs / raterPairs;
        double delta = (1 - Math.sqrt(Math.max(0, 1 - 2 * q))) / 2;
        double epsilon = (e - delta) / (1 - 2 * delta);
        return new Measures(epsilon, delta, e, q, judgements, items);
    }

    /** Measures THUMBS and PAIRWISE feedback on {@code rollouts} (by id) as it landed on the feedback topic. */
    public static Measures of(Map<String, Rollout> rollouts, Collection<Feedback> feedback) {
        Map<String, List<Boolean>> byItem = new LinkedHashMap<>();
        for (Feedback f : feedback) {
            Rollout response = rollouts.get(f.getResponseId());
            if (response == null) {
                continue;
            }
            Verdict verdict = verdict(response);
            if (f.getKind() == FeedbackKind.THUMBS && verdict != Verdict.REFUSE) {
                byItem.computeIfAbsent("thumbs|" + f.getResponseId(), k -> new ArrayList<>())
                        .add((f.getValue() > 0) == (verdict == Verdict.RIGHT));
            } else if (f.getKind() == FeedbackKind.PAIRWISE && f.getValue() != 0 && rollouts.containsKey(f.getOtherResponseId())) {
                Verdict other = verdict(rollouts.get(f.getOtherResponseId()));
                if (verdict != other) {
                    String first = f.getResponseId().compareTo(f.getOtherResponseId()) < 0 ? f.getResponseId() : f.getOtherResponseId();
                    String second = first.equals(f.getResponseId()) ? f.getOtherResponseId() : f.getResponseId();
                    boolean prefersResponse = f.getValue() > 0;
                    byItem.computeIfAbsent("pair|" + first + "|" + second, k -> new ArrayList<>())
                            .add(prefersResponse == (verdict.rank() > other.rank()));
                }
            }
        }
        FeedbackQuality quality = new FeedbackQuality();
        byItem.values().forEach(quality::item);
        return quality.measures();
    }

    private static Verdict verdict(Rollout rollout) {
        String answer = rollout.getMetadata().get("task.answer");
        if (answer == null) {
            throw new IllegalArgumentException("rollout " + rollout.getId() + " has no 'task.answer' metadata: "
                    + "only rollouts of the default task's prompts can be judged");
        }
        return Judge.verdictForAnswer(answer, rollout.getResponse());
    }
}
