package dev.flywheel.learner.train;

import dev.flywheel.core.model.TransformerModel;
import java.util.List;

/**
 * One learning algorithm over a batch of examples of type {@code T}: it owns the trained model and its optimizer.
 *
 * <p>Every tensor a step allocates lives in a scope the step closes, so a trainer can run for days with flat native
 * memory; {@link #state()} and {@link #restore} move everything a restart or a rollback needs in plain Java.
 */
public interface Trainer<T> extends AutoCloseable {

    /** Trains on one batch (possibly several optimizer steps: epochs × mini-batches). */
    BatchReport train(List<T> batch);

    /** The model being trained (the weights a version publishes). */
    TransformerModel model();

    /** Weights, optimizer moments and controller state, to checkpoint or to roll back to. */
    TrainerState state();

    /** Puts the trainer back to {@code state}, in place. */
    void restore(TrainerState state);

    /** The KL coefficient in force (0 where the algorithm has none). */
    double beta();

    @Override
    void close();
}
