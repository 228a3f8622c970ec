package dev.flywheel.generator.swap;

import dev.flywheel.core.model.Policy;
import java.util.Objects;

/**
 * A policy version loaded into memory, ready to sample.
 *
 * @param version      {@code PolicyVersion.version} (0 for the store's {@code policy-v0} when nothing was published)
 * @param sha256       the verified sha256 of its checkpoint
 * @param policy       the model; closed when the version is swapped out
 * @param observedNanos {@link System#nanoTime()} when its record was read, the start of its swap latency
 */
public record LoadedPolicy(long version, String sha256, Policy policy, long observedNanos) implements AutoCloseable {

    /** Checks the policy is present. */
    public LoadedPolicy {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(sha256, "sha256");
    }

    /** Releases the model's native memory. */
    @Override
    public void close() {
        policy.close();
    }
}
