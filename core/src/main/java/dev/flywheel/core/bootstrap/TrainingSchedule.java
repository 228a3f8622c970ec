package dev.flywheel.core.bootstrap;

/**
 * Steps, batch sizes and peak learning rates of the bootstrap's three training stages. Each stage warms the
 * learning rate up linearly over its first {@code warmupFraction} of steps, then decays it with a cosine to 10%.
 *
 * @param pretrainSteps  pre-training steps
 * @param sftSteps       SFT steps
 * @param rewardSteps    reward-model steps
 * @param batchSize      sequences per step of pre-training and SFT
 * @param rewardBatch    comparisons per step of the reward model (each is two sequences)
 * @param pretrainLr     peak learning rate of pre-training
 * @param sftLr          peak learning rate of SFT
 * @param rewardLr       peak learning rate of the reward model
 * @param warmupFraction fraction of each stage spent warming up
 * @param maxGradNorm    global gradient-norm clip
 */
public record TrainingSchedule(int pretrainSteps, int sftSteps, int rewardSteps, int batchSize, int rewardBatch,
                               float pretrainLr,
                               float sftLr, float rewardLr, float warmupFraction, float maxGradNorm) {

    /**
     * The full run's schedule, tuned with the shipped seed: SFT stops once the demonstrations are memorised (more
     * epochs only sharpen refusals onto the names they were shown for), and the reward model takes many small
     * steps at a low rate: at 1e-3 it settled on "a refusal beats any code" instead of checking codes, and 6000
     * steps made its held-out accuracy robust to the seed (4000 gave 90-95% across seeds).
     */
    public static final TrainingSchedule FULL = new TrainingSchedule(2000, 300, 6000, 32, 16, 2e-3f, 1e-3f, 3e-4f,
            0.05f, 1f);

    /** The quick run's schedule. */
    public static final TrainingSchedule QUICK = new TrainingSchedule(12, 8, 8, 8, 4, 2e-3f, 1e-3f, 3e-4f, 0.1f, 1f);

    /** Rejects non-positive sizes and rates. */
    public TrainingSchedule {
        if (pretrainSteps < 0 || sftSteps < 0 || rewardSteps < 0) {
            throw new IllegalArgumentException("step counts must be non-negative, got pretrain=" + pretrainSteps
                    + " sft=" + sftSteps + " reward=" + rewardSteps);
        }
        if (batchSize <= 0 || rewardBatch <= 0) {
            throw new IllegalArgumentException("batch sizes must be positive, got batchSize=" + batchSize
                    + " rewardBatch=" + rewardBatch);
        }
        if (!(pretrainLr > 0 && sftLr > 0 && rewardLr > 0)) {
            throw new IllegalArgumentException("learning rates must be positive, got pretrain=" + pretrainLr
                    + " sft=" + sftLr + " reward=" + rewardLr);
        }
        if (!(warmupFraction >= 0 && warmupFraction < 1)) {
            throw new IllegalArgumentException("warmupFraction must be in [0, 1), got " + warmupFraction);
        }
        if (!(maxGradNorm > 0)) {
            throw new IllegalArgumentException("maxGradNorm must be positive, got " + maxGradNorm);
        }
    }
}
