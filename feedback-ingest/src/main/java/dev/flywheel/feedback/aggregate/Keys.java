package dev.flywheel.feedback.aggregate;

/**
 * Store keys of the aggregation: parts joined by {@code |}, prompt id first so that one prompt's entries are
 * adjacent and a prefix range finds them all.
 */
final class Keys {
    /** Sorts after every character ids use, to close a prefix range. */
    private static final String RANGE_END = "\uffff";

    private Keys() {
    }

    static String of(String... parts) {
        return String.join("|", parts);
    }

    /** The first key of the range of every key starting with {@code parts}. */
    static String from(String... parts) {
        return of(parts) + "|";
    }

    /** The last key of the range of every key starting with {@code parts}. */
    static String to(String... parts) {
        return of(parts) + "|" + RANGE_END;
    }
}
