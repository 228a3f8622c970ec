package dev.flywheel.learner.ppo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.flywheel.core.loss.KlController;
import dev.flywheel.core.loss.Losses;
import dev.flywheel.core.model.ModelOutput;
import dev.flywheel.core.model.ResponseBatch;
import dev.flywheel.core.model.TransformerModel;
import dev.flywheel.core.optim.AdamW;
import dev.flywheel.core.optim.AdamWConfig;
import dev.flywheel.core.optim.StepReport;
import dev.flywheel.learner.experience.Experience;
import dev.flywheel.learner.train.BatchReport;
import dev.flywheel.learner.train.StatAccumulator;
import dev.flywheel.learner.train.Trainer;
import dev.flywheel.learner.train.TrainerState;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * PPO (GAE with the value head, clipped surrogate, clipped value loss, entropy bonus) and the critic-free GRPO and
 * RLOO, all with the truncated importance weight that corrects for rollouts sampled by an older policy version.
 */
public final class PolicyGradientTrainer implements Trainer<Experience> {

    private final TransformerModel model;
    private final AdamW optimizer;
    private final PolicyGradientConfig config;
    private final KlControllerFactory controllers;
    private KlController controller;

    /** What rebuilds the KL controller from a restored β. */
    @FunctionalInterface
    public interface KlControllerFactory {
        /** A controller starting at {@code beta}. */
        KlController startingAt(double beta);
    }

    private PolicyGradientTrainer(TransformerModel model, PolicyGradientConfig config, KlControllerFactory controllers,
                                  double initialBeta) {
        this.model = model;
        this.config = config;
        this.controllers = controllers;
        this.controller = controllers.startingAt(initialBeta);
        model.setTrainable(true);
        AdamWConfig adam = AdamWConfig.defaults().withMaxGradNorm(config.maxGradNorm()).withWeightDecay(0f);
        int warmup = config.usesCritic() ? config.criticWarmupSteps() : 0;
        float lr = config.learningRate();
        this.optimizer = AdamW.over(model, adam, step -> step < warmup ? 10 * lr : lr);
    }

    /**
     * A trainer that owns {@code model} (given a value head first when the algorithm needs a critic, so pass a copy
     * you do not need any more).
     */
    public static PolicyGradientTrainer of(TransformerModel model, PolicyGradientConfig config,
                                           KlControllerFactory controllers, double initialBeta) {
        TransformerModel trained = model;
        if (config.usesCritic() && !model.config().valueHead()) {
            trained = model.copyWithValueHead(config.seed());
            model.close();
            zeroValueHead(trained);
        }
        return new PolicyGradientTrainer(trained, config, controllers, initialBeta);
    }

    /**
     * A fresh critic starts at V = 0 rather than at random values: random values would add noise of the reward's own
     * size to every advantage until the critic has learned, which in tests cost the policy its in-knowledge accuracy.
     */
    private static void zeroValueHead(TransformerModel model) {
        model.restore(model.tensors().stream().map(t -> t.name().startsWith("value.")
                ? new dev.flywheel.core.model.NamedTensor(t.name(), t.shape(), new float[t.values().length]) : t)
                .toList());
    }

    @Override
    public BatchReport train(List<Experience> batch) {
        if (batch.isEmpty()) {
            throw new IllegalArgumentException("cannot train on an empty batch");
        }
        AdvantagePlan plan = AdvantagePlan.of(model, batch, config, controller.beta());
        StatAccumulator stats = new StatAccumulator();
        summariseBatch(batch, plan, stats);
        // Derived from the optimizer's step count, which checkpoints restore, so a restarted learner shuffles the same.
        SplittableRandom random = new SplittableRandom(config.seed() ^ (optimizer.steps() * 0x9E3779B97F4A7C15L));
        int steps = 0;
        int applied = 0;
        long tokens = 0;
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            for (int[] rows : miniBatches(batch.size(), random)) {
                boolean warming = warmingUp();
                model.setTrainable(warming ? name -> name.startsWith("value.") : name -> true);
                StepReport r = optimizer.minimize(scope -> warming ? criticLoss(scope, batch, plan, rows, stats)
                        : loss(scope, batch, plan, rows, stats));
                steps++;
                stats.add("grad_norm", r.gradNorm());
                if (r.applied()) {
                    applied++;
                } else {
                    stats.markNonFinite();
                }
                for (int i : rows) {
                    tokens += batch.get(i).length();
                }
            }
        }
        double meanKl = mean(plan.sequenceKl());
        stats.add("beta", controller.beta());
        if (Double.isFinite(meanKl)) {
            controller.update(meanKl, batch.size());
        }
        return new BatchReport(batch.size(), steps, applied, stats.finite(), tokens, stats.means());
    }

    private NDArray loss(NDManager scope, List<Experience> batch, AdvantagePlan plan, int[] rows,
                         StatAccumulator stats) {
        ResponseBatch rb = responseBatch(batch, rows);
        ModelOutput out = model.forward(scope, rb.sequences(), true);
        float temperature = batch.get(0).temperature();
        NDArray logp = rb.tokenLogProbs(out.logits(), temperature);
        NDArray mask = rb.responseMask(scope);
        NDArray old = rb.rightAligned(scope, pick(plan.oldLogProbs(), rows));
        NDArray advantages = rb.rightAligned(scope, pick(plan.advantages(), rows));
        NDArray weights = rb.rightAligned(scope, pick(plan.weights(), rows));
        NDArray policyLoss = Losses.maskedMean(Losses.ppoClip(logp, old, advantages, config.clipEps()).mul(weights),
                mask);
        NDArray entropy = Losses.maskedMean(tokenEntropy(scope, out.logits(), rb, temperature), mask);
        NDArray total = policyLoss.sub(entropy.mul(scope.create(config.entropyCoef())));
        stats.add("policy_loss", policyLoss.getFloat());
        stats.add("entropy", entropy.getFloat());
        if (config.usesCritic()) {
            NDArray values = rb.alignedValues(out.values());
            NDArray valueLoss = Losses.maskedMean(Losses.valueLoss(values, rb.rightAligned(scope,
                    pick(plan.oldValues(), rows)), rb.rightAligned(scope, pick(plan.returns(), rows)),
                    config.valueClipEps()), mask);
            total = total.add(valueLoss.mul(scope.create(config.valueCoef())));
            stats.add("value_loss", valueLoss.getFloat());
        }
        if (config.kl() == KlPlacement.LOSS) {
            NDArray reference = rb.rightAligned(scope, referenceRows(batch, rows));
            NDArray k3 = Losses.maskedMean(Losses.klK3(logp, reference), mask);
            total = total.add(k3.mul(scope.create((float) controller.beta())));
            stats.add("kl_k3", k3.getFloat());
        }
        NDArray logRatio = logp.sub(old);
        stats.add("approx_kl", Losses.maskedMean(Losses.klK3(old, logp), mask).getFloat());
        NDArray clipped = logRatio.exp().sub(scope.create(1f)).abs().gt(scope.create(config.clipEps()));
        stats.add("clip_fraction", Losses.maskedMean(clipped.toType(ai.djl.ndarray.types.DataType.FLOAT32, false),
                mask).getFloat());
        stats.add("loss", total.getFloat());
        return total;
    }

    /** The rollouts at {@code rows} as one padded batch. */
    private ResponseBatch responseBatch(List<Experience> batch, int[] rows) {
        List<int[]> prompts = new ArrayList<>(rows.length);
        List<int[]> responses = new ArrayList<>(rows.length);
        for (int i : rows) {
            prompts.add(batch.get(i).prompt());
            responses.add(batch.get(i).response());
        }
        return model.responseBatch(prompts, responses);
    }

    private boolean warmingUp() {
        return config.usesCritic() && optimizer.steps() < config.criticWarmupSteps();
    }

    /** The value loss alone, for the critic's warm-up steps (only the value head is trainable then). */
    private NDArray criticLoss(NDManager scope, List<Experience> batch, AdvantagePlan plan, int[] rows,
                               StatAccumulator stats) {
        ResponseBatch rb = responseBatch(batch, rows);
        ModelOutput out = model.forward(scope, rb.sequences(), true);
        NDArray mask = rb.responseMask(scope);
        NDArray valueLoss = Losses.maskedMean(Losses.valueLoss(rb.alignedValues(out.values()),
                rb.rightAligned(scope, pick(plan.oldValues(), rows)), rb.rightAligned(scope, pick(plan.returns(), rows)),
                config.valueClipEps()), mask);
        stats.add("value_loss", valueLoss.getFloat());
        stats.add("loss", valueLoss.getFloat());
        return valueLoss;
    }

    /** Entropy of the softmax at each target position, (B, L-1). */
    private static NDArray tokenEntropy(NDManager scope, NDArray logits, ResponseBatch rb, float temperature) {
        NDArray scaled = logits.get(":, 0:" + rb.targetLength() + ", :").div(scope.create(temperature));
        NDArray logProbs = scaled.logSoftmax(-1);
        return logProbs.exp().mul(logProbs).sum(new int[] {-1}).neg();
    }

    private void summariseBatch(List<Experience> batch, AdvantagePlan plan, StatAccumulator stats) {
        double[] rewards = batch.stream().mapToDouble(Experience::reward).toArray();
        double mean = mean(rewards);
        double var = 0;
        for (double r : rewards) {
            var += (r - mean) * (r - mean);
        }
        stats.add("reward_mean", mean);
        stats.add("reward_std", Math.sqrt(var / rewards.length));
        stats.add("kl", mean(plan.sequenceKl()));
        stats.add("response_length", batch.stream().mapToInt(Experience::length).average().orElse(0));
        double weightSum = 0;
        long weightCount = 0;
        for (float[] row : plan.weights()) {
            for (float w : row) {
                weightSum += w;
                weightCount++;
            }
        }
        stats.add("importance_weight", weightSum / Math.max(1, weightCount));
        if (config.usesCritic() && config.rootBaseline() == RootBaseline.GROUP) {
            stats.add("group_rooted", GroupRootValues.rootedShare(batch));
        }
    }

    private List<int[]> miniBatches(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int parts = Math.min(config.miniBatches(), n);
        List<int[]> out = new ArrayList<>(parts);
        for (int p = 0; p < parts; p++) {
            int from = p * n / parts;
            int to = (p + 1) * n / parts;
            out.add(java.util.Arrays.copyOfRange(order, from, to));
        }
        return out;
    }

    private static float[][] pick(float[][] rows, int[] which) {
        float[][] out = new float[which.length][];
        for (int k = 0; k < which.length; k++) {
            out[k] = rows[which[k]];
        }
        return out;
    }

    private static float[][] referenceRows(List<Experience> batch, int[] which) {
        float[][] out = new float[which.length][];
        for (int k = 0; k < which.length; k++) {
            out[k] = batch.get(which[k]).referenceLogProbs();
        }
        return out;
    }

    private static double mean(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return values.length == 0 ? Double.NaN : s / values.length;
    }

    @Override
    public TransformerModel model() {
        return model;
    }

    @Override
    public TrainerState state() {
        return new TrainerState(model.tensors(), optimizer.state(), controller.beta());
    }

    @Override
    public void restore(TrainerState state) {
        model.restore(state.weights());
        optimizer.restore(state.optimizer());
        controller = controllers.startingAt(state.beta());
    }

    @Override
    public double beta() {
        return controller.beta();
    }

    @Override
    public void close() {
        optimizer.close();
        model.close();
    }
}
