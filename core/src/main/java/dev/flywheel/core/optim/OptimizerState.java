package dev.flywheel.core.optim;

import dev.flywheel.core.model.NamedTensor;

import java.util.List;

/**
 * Adam moments and step count, outside the engine, to resume training from a checkpoint exactly.
 *
 * @param step          steps taken so far
 * @param firstMoments  m per trainable parameter (named like the parameter)
 * @param secondMoments v per trainable parameter
 */
public record OptimizerState(long step, List<NamedTensor> firstMoments, List<NamedTensor> secondMoments) {
}
