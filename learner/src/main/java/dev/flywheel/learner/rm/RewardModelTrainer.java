package dev.flywheel.learner.rm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.flywheel.core.loss.Losses;
import dev.flywheel.core.model.ResponseBatch;
import dev.flywheel.core.model.RewardModel;
import dev.flywheel.core.model.TransformerModel;
import dev.flywheel.core.optim.AdamW;
import dev.flywheel.core.optim.AdamWConfig;
import dev.flywheel.core.optim.LearningRateSchedule;
import dev.flywheel.core.optim.StepReport;
import dev.flywheel.learner.dpo.PreferenceConfig;
import dev.flywheel.learner.experience.PreferenceExample;
import dev.flywheel.learner.train.BatchReport;
import dev.flywheel.learner.train.StatAccumulator;
import dev.flywheel.learner.train.Trainer;
import dev.flywheel.learner.train.TrainerState;
import java.util.ArrayList;
import java.util.List;

/**
 * Reward-model refresh: keeps training the Bradley–Terry reward model on the preference stream, so the scorer's
 * rewards follow what people prefer now; only human pairs are used (pairs the RM ranked itself teach it nothing).
 */
public final class RewardModelTrainer implements Trainer<PreferenceExample> {

    private final RewardModel rewardModel;
    private final AdamW optimizer;

    private RewardModelTrainer(RewardModel rewardModel, PreferenceConfig config) {
        this.rewardModel = rewardModel;
        rewardModel.model().setTrainable(name -> !name.startsWith("lm."));
        AdamWConfig adam = AdamWConfig.defaults().withMaxGradNorm(config.maxGradNorm()).withWeightDecay(0f);
        this.optimizer = AdamW.over(rewardModel.model(), adam, LearningRateSchedule.constant(config.learningRate()));
    }

    /** A trainer owning {@code rewardModel} (a model with a value head, e.g. the store's {@code reward-model}). */
    public static RewardModelTrainer of(RewardModel rewardModel, PreferenceConfig config) {
        if (!rewardModel.model().config().valueHead()) {
            throw new IllegalArgumentException("the reward model has no value head; load the store's reward-model");
        }
        return new RewardModelTrainer(rewardModel, config);
    }

    @Override
    public BatchReport train(List<PreferenceExample> batch) {
        if (batch.isEmpty()) {
            throw new IllegalArgumentException("cannot train on an empty batch");
        }
        StatAccumulator stats = new StatAccumulator();
        StepReport r = optimizer.minimize(scope -> loss(scope, batch, stats));
        stats.add("grad_norm", r.gradNorm());
        if (!r.applied()) {
            stats.markNonFinite();
        }
        long tokens = batch.stream().mapToLong(e -> e.chosen().length + e.rejected().length).sum();
        return new BatchReport(batch.size(), 1, r.applied() ? 1 : 0, stats.finite(), tokens, stats.means());
    }

    /** Fraction of {@code pairs} the reward model ranks the chosen response above the rejected one. */
    public double accuracy(List<PreferenceExample> pairs) {
        float[] chosen = rewardModel.score(prompts(pairs), pairs.stream().map(PreferenceExample::chosen).toList());
        float[] rejected = rewardModel.score(prompts(pairs), pairs.stream().map(PreferenceExample::rejected).toList());
        int right = 0;
        for (int i = 0; i < chosen.length; i++) {
            right += chosen[i] > rejected[i] ? 1 : 0;
        }
        return pairs.isEmpty() ? Double.NaN : right / (double) pairs.size();
    }

    private NDArray loss(NDManager scope, List<PreferenceExample> batch, StatAccumulator stats) {
        List<int[]> prompts = new ArrayList<>(prompts(batch));
        prompts.addAll(prompts(batch));
        List<int[]> responses = new ArrayList<>(batch.stream().map(PreferenceExample::chosen).toList());
        responses.addAll(batch.stream().map(PreferenceExample::rejected).toList());
        ResponseBatch rb = rewardModel.responseBatch(prompts, responses);
        NDArray scores = rewardModel.scores(scope, rb, true);
        int n = batch.size();
        NDArray chosen = scores.get("0:" + n);
        NDArray rejected = scores.get(n + ":");
        NDArray loss = Losses.bradleyTerry(chosen, rejected, 0f).mean();
        NDArray gap = chosen.sub(rejected);
        stats.add("loss", loss.getFloat());
        stats.add("preference_accuracy", gap.gt(scope.create(0f)).toType(DataType.FLOAT32, false).mean().getFloat());
        stats.add("reward_margin", gap.mean().getFloat());
        return loss;
    }

    private static List<int[]> prompts(List<PreferenceExample> pairs) {
        return pairs.stream().map(PreferenceExample::prompt).toList();
    }

    @Override
    public TransformerModel model() {
        return rewardModel.model();
    }

    @Override
    public TrainerState state() {
        return new TrainerState(rewardModel.model().tensors(), optimizer.state(), 0);
    }

    @Override
    public void restore(TrainerState state) {
        rewardModel.model().restore(state.weights());
        optimizer.restore(state.optimizer());
    }

    @Override
    public double beta() {
        return 0;
    }

    @Override
    public void close() {
        optimizer.close();
        rewardModel.close();
    }
}
