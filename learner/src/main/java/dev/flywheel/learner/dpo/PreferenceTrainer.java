package dev.flywheel.learner.dpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.flywheel.core.loss.Losses;
import dev.flywheel.core.model.ModelOutput;
import dev.flywheel.core.model.ReferenceModel;
import dev.flywheel.core.model.TransformerModel;
import dev.flywheel.core.optim.AdamW;
import dev.flywheel.core.optim.AdamWConfig;
import dev.flywheel.core.optim.LearningRateSchedule;
import dev.flywheel.core.optim.StepReport;
import dev.flywheel.learner.experience.PreferenceExample;
import dev.flywheel.learner.train.BatchReport;
import dev.flywheel.learner.train.StatAccumulator;
import dev.flywheel.learner.train.Trainer;
import dev.flywheel.learner.train.TrainerState;
import java.util.List;

/**
 * Online DPO and IPO: the policy learns from (prompt, chosen, rejected) pairs directly, with the frozen SFT model as
 * the reference whose log-probs anchor the implicit reward β·(log π − log π_ref).
 */
public final class PreferenceTrainer implements Trainer<PreferenceExample> {

    private final TransformerModel policy;
    private final ReferenceModel reference;
    private final AdamW optimizer;
    private final PreferenceConfig config;

    private PreferenceTrainer(TransformerModel policy, ReferenceModel reference, PreferenceConfig config) {
        this.policy = policy;
        this.reference = reference;
        this.config = config;
        policy.setTrainable(true);
        AdamWConfig adam = AdamWConfig.defaults().withMaxGradNorm(config.maxGradNorm()).withWeightDecay(0f);
        this.optimizer = AdamW.over(policy, adam, LearningRateSchedule.constant(config.learningRate()));
    }

    /** A trainer owning {@code policy} and {@code reference}. */
    public static PreferenceTrainer of(TransformerModel policy, ReferenceModel reference, PreferenceConfig config) {
        if (config.loss().equals("bradley-terry")) {
            throw new IllegalArgumentException("bradley-terry trains a reward model: use RewardModelTrainer");
        }
        return new PreferenceTrainer(policy, reference, config);
    }

    @Override
    public BatchReport train(List<PreferenceExample> batch) {
        if (batch.isEmpty()) {
            throw new IllegalArgumentException("cannot train on an empty batch");
        }
        float[] ref = referenceLogProbs(batch);
        StatAccumulator stats = new StatAccumulator();
        int steps = 0;
        int applied = 0;
        long tokens = 0;
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            for (int[] rows : MiniBatches.contiguous(batch.size(), config.miniBatches())) {
                List<PreferenceExample> part = MiniBatches.pick(batch, rows);
                float[] partRef = MiniBatches.pickPairs(ref, batch.size(), rows);
                StepReport r = optimizer.minimize(scope -> loss(scope, part, partRef, stats));
                steps++;
                stats.add("grad_norm", r.gradNorm());
                if (r.applied()) {
                    applied++;
                } else {
                    stats.markNonFinite();
                }
                tokens += part.stream().mapToLong(e -> e.chosen().length + e.rejected().length).sum();
            }
        }
        return new BatchReport(batch.size(), steps, applied, stats.finite(), tokens, stats.means());
    }

    /** Implicit reward margin β·z of each pair under the current policy: how much more it prefers the chosen one. */
    public float[] margins(List<PreferenceExample> pairs) {
        float[] ref = referenceLogProbs(pairs);
        PairBatch pb = PairBatch.of(policy, pairs);
        try (NDManager scope = policy.newScope()) {
            NDArray logp = pb.sequenceLogProbs(scope, policy.forward(scope, pb.responses().sequences(), false).logits());
            NDArray z = logRatio(scope, pb, logp, ref);
            return z.mul(scope.create(config.beta())).toFloatArray();
        }
    }

    private NDArray loss(NDManager scope, List<PreferenceExample> part, float[] ref, StatAccumulator stats) {
        PairBatch pb = PairBatch.of(policy, part);
        ModelOutput out = policy.forward(scope, pb.responses().sequences(), true);
        NDArray logp = pb.sequenceLogProbs(scope, out.logits());
        NDArray refRows = scope.create(ref);
        NDArray perPair = config.loss().equals("dpo")
                ? Losses.dpo(pb.chosen(logp), pb.rejected(logp), pb.chosen(refRows), pb.rejected(refRows),
                        config.beta(), config.labelSmoothing())
                : Losses.ipo(pb.chosen(logp), pb.rejected(logp), pb.chosen(refRows), pb.rejected(refRows),
                        config.beta());
        NDArray loss = perPair.mean();
        NDArray z = logRatio(scope, pb, logp, ref);
        stats.add("loss", loss.getFloat());
        stats.add("reward_margin", z.mul(scope.create(config.beta())).mean().getFloat());
        stats.add("preference_accuracy", z.gt(scope.create(0f)).toType(DataType.FLOAT32, false).mean().getFloat());
        stats.add("kl", pb.chosen(logp).sub(pb.chosen(refRows)).mean().getFloat());
        return loss;
    }

    private static NDArray logRatio(NDManager scope, PairBatch pb, NDArray logp, float[] ref) {
        NDArray refRows = scope.create(ref);
        return pb.chosen(logp).sub(pb.rejected(logp)).sub(pb.chosen(refRows).sub(pb.rejected(refRows)));
    }

    private float[] referenceLogProbs(List<PreferenceExample> batch) {
        PairBatch pb = PairBatch.of(policy, batch);
        try (NDManager scope = reference.newScope()) {
            ModelOutput out = reference.forward(scope, pb.responses().sequences());
            return pb.sequenceLogProbs(scope, out.logits()).toFloatArray();
        }
    }

    @Override
    public TransformerModel model() {
        return policy;
    }

    @Override
    public TrainerState state() {
        return new TrainerState(policy.tensors(), optimizer.state(), config.beta());
    }

    @Override
    public void restore(TrainerState state) {
        policy.restore(state.weights());
        optimizer.restore(state.optimizer());
    }

    @Override
    public double beta() {
        return config.beta();
    }

    @Override
    public void close() {
        optimizer.close();
        policy.close();
        reference.close();
    }
}
