package dev.flywheel.learner.checkpoint;

import dev.flywheel.learner.ledger.LedgerSnapshot;
import java.util.Optional;

/**
 * Everything besides tensors that a learner checkpoint holds.
 *
 * @param model          the model name the learner publishes ("policy" or "reward-model")
 * @param algorithm      the algorithm that trained it
 * @param version        the last version this learner published (0 = none yet: the bootstrap's v0)
 * @param steps          optimizer steps taken since the learner first started
 * @param batches        batches trained (the mini-batch shuffle RNG is derived from the seed and this count)
 * @param trainerBlob    sha256 of the model-store blob with weights and optimizer moments
 * @param beta           the KL controller's coefficient
 * @param ledger         the consumed offsets absorbed so far
 * @param lastPublished  the version record last sent, as Avro JSON (re-sent on start if the topic lacks it)
 * @param baseline       the headline statistics of the last published interval, for the reward-hacking guard
 */
public record LearnerState(String model, String algorithm, long version, long steps, long batches, String trainerBlob,
                           double beta, LedgerSnapshot ledger, Optional<String> lastPublished,
                           Optional<IntervalBaseline> baseline) {

    /** Headline statistics of one publish interval. */
    public record IntervalBaseline(double reward, double kl, double length) {
    }
}
