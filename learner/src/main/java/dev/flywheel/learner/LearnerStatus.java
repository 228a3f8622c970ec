package dev.flywheel.learner;

/**
 * A learner's progress, for progress lines and tests.
 *
 * @param running      whether the training thread is alive
 * @param version      the last version published (or restored)
 * @param steps        optimizer steps since the learner first started
 * @param examples     examples trained in this run
 * @param queued       examples waiting for a full batch
 * @param rewardMean   mean reward of the last batch (NaN before the first)
 * @param kl           mean KL to the reference of the last batch (NaN before the first)
 * @param failure      why the learner stopped, when it stopped on an error
 */
public record LearnerStatus(boolean running, long version, long steps, long examples, int queued, double rewardMean,
                            double kl, String failure) {
}
