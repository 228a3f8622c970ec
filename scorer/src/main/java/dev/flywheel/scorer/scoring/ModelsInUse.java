package dev.flywheel.scorer.scoring;

import dev.flywheel.core.model.ReferenceModel;
import dev.flywheel.core.model.RewardModel;
import java.util.Objects;

/**
 * The models one micro-batch is scored with; a batch never mixes versions.
 *
 * @param rewardModel      r_φ (its vocabulary and context must match the reference's)
 * @param rewardVersion    its {@code PolicyVersion.version} (0 for the store's {@code reward-model} ref)
 * @param reference        π_ref
 * @param referenceVersion its version (0 for the store's {@code reference} ref)
 * @param beta             the KL coefficient in force
 */
public record ModelsInUse(RewardModel rewardModel, long rewardVersion, ReferenceModel reference, long referenceVersion,
                          double beta) {

    /** Checks the models are present and β is usable. */
    public ModelsInUse {
        Objects.requireNonNull(rewardModel, "rewardModel");
        Objects.requireNonNull(reference, "reference");
        if (!Double.isFinite(beta) || beta < 0) {
            throw new IllegalArgumentException("beta must be finite and >= 0, got " + beta);
        }
    }

    /** Token ids a rollout may use: those of the reference's tokenizer. */
    public int vocabSize() {
        return reference.tokenizer().vocabSize();
    }

    /** Longest prompt + response both models accept. */
    public int context() {
        return Math.min(reference.context(), rewardModel.model().context());
    }
}
