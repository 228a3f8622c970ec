package dev.flywheel.core.optim;

/** Learning rate as a function of the optimizer step (0-based). */
@FunctionalInterface
public interface LearningRateSchedule {

    /** The rate to use for step {@code step}. */
    float rate(long step);

    /** Always {@code lr}. */
    static LearningRateSchedule constant(float lr) {
        requirePositive(lr);
        return step -> lr;
    }

    /** Linear warmup from ~0 to {@code peak} over {@code warmupSteps}, then constant. */
    static LearningRateSchedule warmupConstant(float peak, long warmupSteps) {
        requirePositive(peak);
        return step -> step < warmupSteps ? peak * (step + 1) / (float) warmupSteps : peak;
    }

    /**
     * Linear warmup to {@code peak} over {@code warmupSteps}, then cosine decay to {@code floor} at
     * {@code totalSteps}, and {@code floor} afterwards.
     */
    static LearningRateSchedule warmupCosine(float peak, long warmupSteps, long totalSteps, float floor) {
        requirePositive(peak);
        if (totalSteps <= warmupSteps) {
            throw new IllegalArgumentException("totalSteps (" + totalSteps + ") must exceed warmupSteps ("
                    + warmupSteps + ")");
        }
        if (floor < 0 || floor > peak) {
            throw new IllegalArgumentException("floor must be in [0, peak], got " + floor);
        }
        return step -> {
            if (step < warmupSteps) {
                return peak * (step + 1) / (float) warmupSteps;
            }
            if (step >= totalSteps) {
                return floor;
            }
            double progress = (step - warmupSteps) / (double) (totalSteps - warmupSteps);
            return (float) (floor + 0.5 * (peak - floor) * (1 + Math.cos(Math.PI * progress)));
        };
    }

    private static void requirePositive(float lr) {
        if (!(lr > 0) || Float.isInfinite(lr)) {
            throw new IllegalArgumentException("learning rate must be a finite number > 0, got " + lr);
        }
    }
}
