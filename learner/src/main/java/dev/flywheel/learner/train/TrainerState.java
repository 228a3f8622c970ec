package dev.flywheel.learner.train;

import dev.flywheel.core.model.NamedTensor;
import dev.flywheel.core.optim.OptimizerState;
import java.util.List;

/**
 * Everything a trainer needs to continue exactly where it was.
 *
 * @param weights   the model's parameters
 * @param optimizer Adam moments and step count
 * @param beta      the KL controller's coefficient
 */
public record TrainerState(List<NamedTensor> weights, OptimizerState optimizer, double beta) {

    /** Copies the list. */
    public TrainerState {
        weights = List.copyOf(weights);
    }
}
