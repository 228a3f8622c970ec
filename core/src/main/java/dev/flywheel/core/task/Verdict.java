package dev.flywheel.core.task;

/** The judge's label for one response: the seed's right / refuse / wrong. */
public enum Verdict {
    /** Exactly the right answer. */
    RIGHT,
    /** Exactly the refusal text: the model abstained. */
    REFUSE,
    /** Anything else: a wrong answer, a malformed or empty reply. */
    WRONG;

    /** Preference rank used by labelers: RIGHT (2) &gt; REFUSE (1) &gt; WRONG (0). */
    public int rank() {
        return switch (this) {
            case RIGHT -> 2;
            case REFUSE -> 1;
            case WRONG -> 0;
        };
    }
}
