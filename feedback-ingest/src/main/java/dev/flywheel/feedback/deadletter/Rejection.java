package dev.flywheel.feedback.deadletter;

/** Why feedback-ingest refused a record; the first word of a dead letter's error message. */
public enum Rejection {
    /** The record breaks a rule of its feedback kind (see Feedback.avsc), e.g. a RATING of 7. */
    INVALID,
    /** No rollout with the response id was seen within the grace period. */
    UNKNOWN_RESPONSE,
    /** The feedback's event time is more than the join window after its rollout's. */
    EXPIRED,
    /** The feedback names a prompt id other than its rollout's, or compares responses of two prompts. */
    PROMPT_MISMATCH
}
