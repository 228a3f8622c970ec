package dev.flywheel.feedback.validation;

import dev.flywheel.feedback.deadletter.Rejection;
import dev.flywheel.feedback.deadletter.RejectedFeedbackException;
import dev.flywheel.schemas.Feedback;
import java.util.Optional;

/** Checks one feedback record against the rules of its kind; the first broken rule is the refusal. */
public final class FeedbackRules {

    private FeedbackRules() {
    }

    /** The refusal of {@code feedback} read under record key {@code key}, or empty when it is valid. */
    public static Optional<RejectedFeedbackException> check(String key, Feedback feedback) {
        return Optional.ofNullable(problem(key, feedback))
                .map(detail -> new RejectedFeedbackException(Rejection.INVALID, detail + " (feedback " + feedback.getId()
                        + " by rater " + feedback.getRaterId() + ")"));
    }

    private static String problem(String key, Feedback f) {
        if (f.getId().isBlank() || f.getRaterId().isBlank() || f.getResponseId().isBlank()) {
            return "id, raterId and responseId must be non-blank";
        }
        if (key != null && !key.equals(f.getResponseId())) {
            return "record key '" + key + "' differs from responseId '" + f.getResponseId()
                    + "': produce feedback keyed by its responseId";
        }
        double v = f.getValue();
        if (!Double.isFinite(v)) {
            return "value " + v + " is not a finite number";
        }
        return switch (f.getKind()) {
            case THUMBS -> v == 1 || v == -1 ? null : "THUMBS value must be +1 (up) or -1 (down), was " + v;
            case ABSTAIN_OK -> v == 1 || v == -1 ? null : "ABSTAIN_OK value must be +1 or -1, was " + v;
            case RATING -> v >= 1 && v <= 5 && v == Math.rint(v) ? null : "RATING value must be a whole number 1..5, was " + v;
            case PAIRWISE -> pairwiseProblem(f);
            case CORRECTION -> f.getCorrection() == null || f.getCorrection().isBlank()
                    ? "CORRECTION needs the better response in field 'correction'" : null;
            default -> "kind " + f.getKind() + " is not one feedback-ingest knows (written with a newer schema?): "
                    + "use THUMBS, RATING, PAIRWISE, ABSTAIN_OK or CORRECTION";
        };
    }

    private static String pairwiseProblem(Feedback f) {
        double v = f.getValue();
        if (v != 1 && v != 0 && v != -1) {
            return "PAIRWISE value must be +1 (responseId preferred), -1 (otherResponseId preferred) or 0 (tie), was " + v;
        }
        if (f.getOtherResponseId() == null || f.getOtherResponseId().isBlank()) {
            return "PAIRWISE needs otherResponseId: the id of the response it was compared with";
        }
        if (f.getOtherResponseId().equals(f.getResponseId())) {
            return "PAIRWISE compares response " + f.getResponseId() + " with itself: otherResponseId must differ";
        }
        return null;
    }
}
