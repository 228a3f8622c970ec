package dev.flywheel.learner.publish;

import java.util.List;

/**
 * Whether a candidate version may be published, and if not, every reason.
 *
 * @param failures one line per failed guard, empty when the version passes
 * @param guards   the short names of the failed guards (metric tags)
 */
public record GuardVerdict(List<String> failures, List<String> guards) {

    /** Copies the lists. */
    public GuardVerdict {
        failures = List.copyOf(failures);
        guards = List.copyOf(guards);
    }

    /** Whether every guard passed. */
    public boolean passed() {
        return failures.isEmpty();
    }
}
