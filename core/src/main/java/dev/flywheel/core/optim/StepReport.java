package dev.flywheel.core.optim;

/**
 * What one optimizer step did.
 *
 * @param step          0-based index of this step
 * @param learningRate  rate the schedule gave for it
 * @param gradNorm      global L2 norm of the gradients before clipping
 * @param applied       false when the norm was NaN or infinite: the parameters were left untouched
 * @param loss          the loss that produced the gradients (NaN when the caller ran backward itself)
 */
public record StepReport(long step, float learningRate, float gradNorm, boolean applied, float loss) {
}
