package dev.flywheel.feedback.aggregate;

import dev.flywheel.schemas.Feedback;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The raters' votes on one pair of responses, one vote per rater: who won, by how much, and how far raters agreed.
 * A PAIRWISE value of +1 votes for its responseId, -1 for its otherResponseId, 0 for neither (a tie vote).
 *
 * @param first       one rollout id of the pair
 * @param second      the other
 * @param forFirst    votes preferring {@code first}
 * @param forSecond   votes preferring {@code second}
 * @param tieVotes    votes for neither
 * @param raterIds    every voter, sorted
 * @param feedbackIds the feedback each vote came from, in rater order
 * @param latest      event time of the latest vote
 */
public record VoteTally(String first, String second, int forFirst, int forSecond, int tieVotes,
                        List<String> raterIds, List<String> feedbackIds, Instant latest) {

    /** Counts {@code votes} (at most one per rater) on the pair {@code first}, {@code second}. */
    public static VoteTally of(String first, String second, Collection<Feedback> votes) {
        int a = 0;
        int b = 0;
        int ties = 0;
        Instant latest = Instant.EPOCH;
        List<Feedback> byRater = votes.stream().sorted(java.util.Comparator.comparing(Feedback::getRaterId)).toList();
        for (Feedback vote : byRater) {
            String winner = winner(vote);
            if (winner == null) {
                ties++;
            } else if (winner.equals(first)) {
                a++;
            } else if (winner.equals(second)) {
                b++;
            } else {
                throw new IllegalArgumentException("vote " + vote.getId() + " is not about pair " + first + " / " + second);
            }
            latest = vote.getTs().isAfter(latest) ? vote.getTs() : latest;
        }
        return new VoteTally(first, second, a, b, ties, byRater.stream().map(Feedback::getRaterId).toList(),
                byRater.stream().map(Feedback::getId).toList(), latest);
    }

    /** The response a PAIRWISE vote prefers, or {@code null} for a tie vote. */
    public static String winner(Feedback vote) {
        if (vote.getValue() > 0) {
            return vote.getResponseId();
        }
        return vote.getValue() < 0 ? Objects.requireNonNull(vote.getOtherResponseId(), "otherResponseId") : null;
    }

    /** Number of raters who voted. */
    public int raters() {
        return raterIds.size();
    }

    /** Whether neither response has more votes. */
    public boolean tied() {
        return forFirst == forSecond;
    }

    /** The majority's choice. */
    public String chosen() {
        return forFirst > forSecond ? first : second;
    }

    /** The response the majority rejected. */
    public String rejected() {
        return forFirst > forSecond ? second : first;
    }

    /** Votes on either side (tie votes excluded). */
    public int decisiveVotes() {
        return forFirst + forSecond;
    }

    /** Votes against the majority. */
    public int minorityVotes() {
        return Math.min(forFirst, forSecond);
    }

    /** Share of decisive votes with the majority, 0.5..1. */
    public double agreement() {
        return (double) Math.max(forFirst, forSecond) / decisiveVotes();
    }

    /** The majority's share minus the minority's, (0..1]. */
    public double margin() {
        return (double) Math.abs(forFirst - forSecond) / decisiveVotes();
    }
}
