package dev.flywheel.feedback.aggregate;

import dev.flywheel.schemas.Feedback;
import dev.flywheel.schemas.PreferencePair;
import dev.flywheel.schemas.PreferenceSource;
import dev.flywheel.schemas.Rollout;
import java.time.Instant;
import java.util.List;

/**
 * The HUMAN preference pairs feedback-ingest emits. Ids name their origin and the two responses, sorted, so the
 * same pair always gets the same id: {@code pairwise:<a>|<b>}, {@code thumbs:<a>|<b>}, {@code correction:<response>|<rater>}.
 */
public final class Pairs {

    private Pairs() {
    }

    /** The id of the pair of responses {@code a} and {@code b} formed by feedback of {@code origin}. */
    public static String id(String origin, String a, String b) {
        return a.compareTo(b) <= 0 ? origin + ":" + a + "|" + b : origin + ":" + b + "|" + a;
    }

    /** The majority's choice of several raters' PAIRWISE votes. */
    public static PreferencePair fromVotes(VoteTally tally, Rollout chosen, Rollout rejected) {
        return base(id("pairwise", chosen.getId(), rejected.getId()), tally.latest(), chosen, rejected)
                .setMargin(tally.margin()).setAgreement(tally.agreement()).setRaterIds(tally.raterIds())
                .setFeedbackIds(tally.feedbackIds()).build();
    }

    /**
     * A response with net thumbs up over one with net thumbs down.
     *
     * @param margin    half the difference of the two net scores, (0..1]
     * @param agreement share of thumbs consistent with the pair (up on chosen, down on rejected)
     */
    public static PreferencePair fromThumbs(Rollout up, Rollout down, double margin, double agreement,
                                            List<Feedback> thumbs) {
        Instant latest = thumbs.stream().map(Feedback::getTs).max(Instant::compareTo).orElse(Instant.EPOCH);
        return base(id("thumbs", up.getId(), down.getId()), latest, up, down).setMargin(margin).setAgreement(agreement)
                .setRaterIds(thumbs.stream().map(Feedback::getRaterId).distinct().sorted().toList())
                .setFeedbackIds(thumbs.stream().map(Feedback::getId).toList()).build();
    }

    /**
     * A rater's correction preferred over the response it corrects. The correction was not sampled, so its token ids
     * are empty (tokenize {@code chosen} with the policy's tokenizer) and its rollout id is {@code correction:<feedbackId>}.
     */
    public static PreferencePair fromCorrection(Feedback correction, Rollout corrected) {
        return PreferencePair.newBuilder().setId("correction:" + corrected.getId() + "|" + correction.getRaterId())
                .setTs(correction.getTs()).setPromptId(corrected.getPromptId()).setTenant(corrected.getTenant())
                .setPrompt(corrected.getPrompt()).setPromptTokenIds(corrected.getPromptTokenIds())
                .setChosen(correction.getCorrection()).setChosenTokenIds(List.of())
                .setChosenRolloutId("correction:" + correction.getId()).setRejected(corrected.getResponse())
                .setRejectedTokenIds(corrected.getResponseTokenIds()).setRejectedRolloutId(corrected.getId())
                .setPolicyVersion(null).setSource(PreferenceSource.HUMAN).setMargin(1.0).setAgreement(1.0)
                .setRaterIds(List.of(correction.getRaterId())).setFeedbackIds(List.of(correction.getId())).build();
    }

    private static PreferencePair.Builder base(String id, Instant ts, Rollout chosen, Rollout rejected) {
        Long version = chosen.getPolicyVersion() == rejected.getPolicyVersion() ? chosen.getPolicyVersion() : null;
        return PreferencePair.newBuilder().setId(id).setTs(ts).setPromptId(chosen.getPromptId())
                .setTenant(chosen.getTenant()).setPrompt(chosen.getPrompt()).setPromptTokenIds(chosen.getPromptTokenIds())
                .setChosen(chosen.getResponse()).setChosenTokenIds(chosen.getResponseTokenIds())
                .setChosenRolloutId(chosen.getId()).setRejected(rejected.getResponse())
                .setRejectedTokenIds(rejected.getResponseTokenIds()).setRejectedRolloutId(rejected.getId())
                .setPolicyVersion(version).setSource(PreferenceSource.HUMAN);
    }
}
