package dev.flywheel.learner.ppo;

/** What PPO's advantages measure a response against at the states every sample of its prompt shares. */
public enum RootBaseline {
    /** The value head's prediction, as InstructGPT does. */
    CRITIC,
    /**
     * The mean return of the prompt's other samples in the batch: a Monte-Carlo value of the shared states
     * (VinePPO's estimate, taken at the root only), which needs no critic to tell one prompt from another. A sample
     * with no sibling in its batch keeps the critic's value. PPO's default.
     */
    GROUP
}
