package dev.flywheel.learner.publish;

import dev.flywheel.core.model.NamedTensor;
import dev.flywheel.learner.checkpoint.LearnerState.IntervalBaseline;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The checks a version must pass before users can get it: finite loss and weights, KL to the reference within
 * bounds, and no reward-hacking signature (reward up while the KL or the response length jumps).
 */
public final class PublishGuards {

    private final GuardBounds bounds;

    /** Guards with these bounds. */
    public PublishGuards(GuardBounds bounds) {
        this.bounds = bounds;
    }

    /** Checks the interval and the candidate weights against the previous interval's baseline. */
    public GuardVerdict check(IntervalSummary interval, List<NamedTensor> weights, Optional<IntervalBaseline> previous) {
        List<String> failures = new ArrayList<>();
        List<String> guards = new ArrayList<>();
        if (!interval.finite()) {
            fail(failures, guards, "non_finite", "a loss or gradient norm was NaN or infinite in the last "
                    + interval.steps() + " steps (the optimizer skipped those steps)");
        }
        nonFiniteWeight(weights).ifPresent(name -> fail(failures, guards, "non_finite",
                "parameter " + name + " holds NaN or infinity"));
        double kl = interval.stat("kl");
        if (Double.isFinite(kl) && kl > bounds.maxKl()) {
            fail(failures, guards, "max_kl", String.format(java.util.Locale.ROOT,
                    "KL to the reference %.3f exceeds --max-kl %.3f", kl, bounds.maxKl()));
        }
        previous.ifPresent(base -> hacking(interval, base, failures, guards));
        return new GuardVerdict(failures, guards);
    }

    private void hacking(IntervalSummary interval, IntervalBaseline base, List<String> failures, List<String> guards) {
        double reward = interval.stat("reward_mean");
        double kl = interval.stat("kl");
        double length = interval.stat("response_length");
        if (!(reward > base.reward())) {
            return;
        }
        if (Double.isFinite(kl) && Double.isFinite(base.kl()) && kl - base.kl() > bounds.maxKlJump()) {
            fail(failures, guards, "reward_hacking", String.format(java.util.Locale.ROOT,
                    "reward rose %.3f -> %.3f while KL jumped %.3f -> %.3f (more than --max-kl-jump %.3f)",
                    base.reward(), reward, base.kl(), kl, bounds.maxKlJump()));
        }
        if (Double.isFinite(length) && base.length() > 0
                && Math.abs(length / base.length() - 1) > bounds.maxLengthChange()) {
            fail(failures, guards, "reward_hacking", String.format(java.util.Locale.ROOT,
                    "reward rose %.3f -> %.3f while the mean response length moved %.1f -> %.1f tokens (more than "
                            + "--max-length-change %.0f%%)", base.reward(), reward, base.length(), length,
                    100 * bounds.maxLengthChange()));
        }
    }

    private static Optional<String> nonFiniteWeight(List<NamedTensor> weights) {
        for (NamedTensor t : weights) {
            for (float v : t.values()) {
                if (!Float.isFinite(v)) {
                    return Optional.of(t.name());
                }
            }
        }
        return Optional.empty();
    }

    private static void fail(List<String> failures, List<String> guards, String guard, String message) {
        failures.add(message);
        if (!guards.contains(guard)) {
            guards.add(guard);
        }
    }
}
