package dev.flywheel.core.bootstrap;

import dev.flywheel.core.task.TaskConfig;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything a bootstrap run depends on; the same options give bit-identical models on CPU.
 *
 * @param out                 model store directory to write into (created if absent)
 * @param seed                seeds the task, the data order, the raters and the parameter initialisation
 * @param quick               tiny model and few steps: a smoke run for tests, quality not intended
 * @param device              {@code "cpu"} or {@code "gpu"} / {@code "gpu:N"}
 * @param model               transformer width, heads, layers and context
 * @param schedule            steps, batch sizes and learning rates of the three training stages
 * @param evaluationLimit     grade at most this many questions per evaluation set (0 = all)
 * @param heldOutComparisons  held-out comparisons the reward model's accuracy is measured on
 * @param sampledEvaluation   also grade temperature-1 samples besides greedy decoding
 */
public record BootstrapOptions(Path out, long seed, boolean quick, String device, ModelShape model,
                               TrainingSchedule schedule, int evaluationLimit, int heldOutComparisons,
                               boolean sampledEvaluation) {

    /** The seed of the shipped models. */
    public static final long SHIPPED_SEED = 20_261_127L;

    /** Validates the options and names the wrong one. */
    public BootstrapOptions {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(schedule, "schedule");
        if (evaluationLimit < 0) {
            throw new IllegalArgumentException("evaluationLimit must be 0 (all) or positive, got " + evaluationLimit);
        }
        if (heldOutComparisons <= 0) {
            throw new IllegalArgumentException("heldOutComparisons must be positive, got " + heldOutComparisons);
        }
    }

    /** The full run: d=128, 4 heads, 2 layers, context 64, trained to meet the quality targets. */
    public static BootstrapOptions full(Path out, long seed) {
        return new BootstrapOptions(out, seed, false, "cpu", ModelShape.DEFAULT, TrainingSchedule.FULL, 0, 2000, true);
    }

    /** The quick run: a tiny model and a few steps of each stage, for tests (well under a minute). */
    public static BootstrapOptions quick(Path out, long seed) {
        return new BootstrapOptions(out, seed, true, "cpu", ModelShape.TINY, TrainingSchedule.QUICK, 24, 64, false);
    }

    /** The same options on another device. */
    public BootstrapOptions withDevice(String newDevice) {
        return new BootstrapOptions(out, seed, quick, newDevice, model, schedule, evaluationLimit, heldOutComparisons,
                sampledEvaluation);
    }

    /** The same options with another schedule. */
    public BootstrapOptions withSchedule(TrainingSchedule newSchedule) {
        return new BootstrapOptions(out, seed, quick, device, model, newSchedule, evaluationLimit, heldOutComparisons,
                sampledEvaluation);
    }

    /** The task these options train on. */
    public TaskConfig task() {
        return TaskConfig.defaults(seed);
    }
}
