package dev.flywheel.learner;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What the learner trains, and on which stream. */
public enum Algorithm {
    /** PPO with a value head on scored rollouts. */
    PPO(true, "policy"),
    /** GRPO: group-normalised advantages over the n samples of a prompt. */
    GRPO(true, "policy"),
    /** RLOO: leave-one-out group baselines. */
    RLOO(true, "policy"),
    /** Online DPO on preference pairs. */
    DPO(false, "policy"),
    /** Online IPO on preference pairs. */
    IPO(false, "policy"),
    /** Reward-model refresh on human preference pairs. */
    RM(false, "reward-model");

    private final boolean policyGradient;
    private final String modelName;

    Algorithm(boolean policyGradient, String modelName) {
        this.policyGradient = policyGradient;
        this.modelName = modelName;
    }

    /** Parses {@code --algo}, naming the allowed values when it is wrong. */
    public static Algorithm parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--algo " + name + " is not an algorithm; use one of "
                    + Arrays.stream(values()).map(Algorithm::flag).collect(Collectors.joining(", ")), e);
        }
    }

    /** Whether it trains on scored rollouts (PPO, GRPO, RLOO) rather than preference pairs. */
    public boolean policyGradient() {
        return policyGradient;
    }

    /** The model name its versions are published under on the policy-version topic. */
    public String modelName() {
        return modelName;
    }

    /** How the CLI spells it. */
    public String flag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
