package dev.flywheel.core.bootstrap;

import ai.djl.ndarray.NDArray;
import dev.flywheel.core.loss.Losses;
import dev.flywheel.core.model.ModelOutput;
import dev.flywheel.core.model.ResponseBatch;
import dev.flywheel.core.model.RewardModel;
import dev.flywheel.core.model.TransformerModel;
import dev.flywheel.core.optim.AdamW;
import dev.flywheel.core.optim.AdamWConfig;
import dev.flywheel.core.optim.LearningRateSchedule;
import dev.flywheel.core.optim.StepReport;
import dev.flywheel.core.task.labeler.PairwiseJudgement;
import dev.flywheel.core.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/** The bootstrap's two training loops: next-token loss on response tokens, and Bradley–Terry on comparisons. */
final class StageTraining {

    private final TrainingSchedule schedule;
    private final BootstrapListener listener;

    StageTraining(TrainingSchedule schedule, BootstrapListener listener) {
        this.schedule = schedule;
        this.listener = listener;
    }

    /** Pre-training or SFT: minimises the mean negative log-likelihood of the examples' response tokens. */
    StageResult languageModel(Stage stage, TransformerModel model, ExampleStream examples, int steps, float peakLr) {
        ProgressMeter meter = new ProgressMeter(stage, steps, listener);
        if (steps == 0) {
            return meter.finish("skipped");
        }
        model.setTrainable(true);
        try (AdamW adam = AdamW.over(model, adamConfig(), learningRate(peakLr, steps))) {
            for (int i = 0; i < steps; i++) {
                List<TrainingExample> batch = examples.nextBatch(schedule.batchSize());
                ResponseBatch rb = model.responseBatch(prompts(batch), responses(batch));
                StepReport r = adam.minimize(scope -> {
                    ModelOutput out = model.forward(scope, rb.sequences(), true);
                    NDArray logp = rb.tokenLogProbs(out.logits(), 1f);
                    return Losses.maskedMean(logp.neg(), rb.responseMask(scope));
                });
                meter.step(checked(stage, i, r));
            }
        } finally {
            model.setTrainable(false);
        }
        return meter.finish("");
    }

    /**
     * Reward model: minimises the mean Bradley–Terry loss of the chosen over the rejected response; chosen and
     * rejected go through one forward pass as a batch of twice the size.
     */
    StageResult rewardModel(RewardModel rm, IntFunction<List<PairwiseJudgement>> comparisons, Tokenizer tokenizer,
                            int steps, float peakLr) {
        ProgressMeter meter = new ProgressMeter(Stage.REWARD_MODEL, steps, listener);
        if (steps == 0) {
            return meter.finish("skipped");
        }
        TransformerModel model = rm.model();
        model.setTrainable(name -> !name.startsWith("lm."));
        try (AdamW adam = AdamW.over(model, adamConfig(), learningRate(peakLr, steps))) {
            for (int i = 0; i < steps; i++) {
                List<PairwiseJudgement> batch = comparisons.apply(schedule.rewardBatch());
                List<int[]> prompts = new ArrayList<>();
                List<int[]> responses = new ArrayList<>();
                for (PairwiseJudgement j : batch) {
                    prompts.add(tokenizer.encodePrompt(j.question().prompt()));
                    responses.add(withEos(tokenizer, j.chosen()));
                }
                for (PairwiseJudgement j : batch) {
                    prompts.add(tokenizer.encodePrompt(j.question().prompt()));
                    responses.add(withEos(tokenizer, j.rejected()));
                }
                ResponseBatch rb = rm.responseBatch(prompts, responses);
                int n = batch.size();
                StepReport r = adam.minimize(scope -> {
                    NDArray scores = rm.scores(scope, rb, true);
                    NDArray chosen = scores.get("0:" + n);
                    NDArray rejected = scores.get(n + ":" + (2 * n));
                    return Losses.bradleyTerry(chosen, rejected, 0f).mean();
                });
                meter.step(checked(Stage.REWARD_MODEL, i, r));
            }
        } finally {
            model.setTrainable(false);
        }
        return meter.finish("");
    }

    /** The response's tokens followed by EOS, the form the policy generates. */
    static int[] withEos(Tokenizer tokenizer, String response) {
        int[] body = tokenizer.encode(response);
        int[] ids = java.util.Arrays.copyOf(body, body.length + 1);
        ids[body.length] = tokenizer.eosId();
        return ids;
    }

    private AdamWConfig adamConfig() {
        return AdamWConfig.defaults().withMaxGradNorm(schedule.maxGradNorm());
    }

    private LearningRateSchedule learningRate(float peak, int steps) {
        int warmup = (int) (schedule.warmupFraction() * steps);
        return steps > warmup && warmup > 0
                ? LearningRateSchedule.warmupCosine(peak, warmup, steps, peak * 0.1f)
                : LearningRateSchedule.constant(peak);
    }

    private static double checked(Stage stage, int step, StepReport r) {
        if (!r.applied() || !Float.isFinite(r.loss())) {
            throw new IllegalStateException("bootstrap " + stage.label() + " diverged at step " + step + ": loss "
                    + r.loss() + ", gradient norm " + r.gradNorm() + "; lower the learning rate");
        }
        return r.loss();
    }

    private static List<int[]> prompts(List<TrainingExample> batch) {
        return batch.stream().map(TrainingExample::prompt).toList();
    }

    private static List<int[]> responses(List<TrainingExample> batch) {
        return batch.stream().map(TrainingExample::response).toList();
    }
}
