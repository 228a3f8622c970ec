package dev.flywheel.scorer.scoring;

import dev.flywheel.core.task.Judge;
import dev.flywheel.core.task.Verdict;
import dev.flywheel.schemas.JudgeLabel;
import dev.flywheel.schemas.Rollout;
import dev.flywheel.schemas.ScoredRollout;
import dev.flywheel.scorer.kl.TokenKl;
import dev.flywheel.scorer.reward.RewardRecipe;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores a micro-batch: one reward-model call over the batch, one reference call per sampling temperature, then
 * per rollout the judge, k1 / k3, sequence KL and shaped reward.
 *
 * <p>Reference log-probs use the temperature the rollout was sampled with, the same distribution the behaviour
 * log-probs come from, so a policy equal to its reference has KL exactly 0 at any temperature.
 */
public final class RolloutScorer {

    /** Metadata key of the answer the judge checks, set by the default task on every prompt. */
    public static final String ANSWER_KEY = "task.answer";

    private final RewardRecipe recipe;

    /** A scorer combining rewards by {@code recipe}. */
    public RolloutScorer(RewardRecipe recipe) {
        this.recipe = recipe;
    }

    /** The recipe in use. */
    public RewardRecipe recipe() {
        return recipe;
    }

    /** One scored rollout per rollout, in order, stamped {@code scoredAt}. */
    public List<ScoredRollout> score(List<Rollout> batch, ModelsInUse models, Instant scoredAt) {
        if (batch.isEmpty()) {
            return List.of();
        }
        List<int[]> prompts = new ArrayList<>(batch.size());
        List<int[]> responses = new ArrayList<>(batch.size());
        for (Rollout rollout : batch) {
            prompts.add(ints(rollout.getPromptTokenIds()));
            responses.add(ints(rollout.getResponseTokenIds()));
        }
        float[] rm = recipe.mode().usesRewardModel() ? models.rewardModel().score(prompts, responses) : null;
        float[][] reference = referenceLogProbs(batch, prompts, responses, models);
        List<ScoredRollout> scored = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            scored.add(scoreOne(batch.get(i), rm == null ? null : (double) rm[i], reference[i], models, scoredAt));
        }
        return scored;
    }

    private ScoredRollout scoreOne(Rollout rollout, Double rm, float[] reference, ModelsInUse models, Instant at) {
        Verdict verdict = null;
        Double judgeReward = null;
        if (recipe.mode().usesJudge()) {
            verdict = Judge.verdictForAnswer(rollout.getMetadata().get(ANSWER_KEY), rollout.getResponse());
            judgeReward = recipe.judge().of(verdict);
        }
        double reward = recipe.combine(rm == null ? 0 : rm, judgeReward == null ? 0 : judgeReward);
        TokenKl kl = TokenKl.of(floats(rollout.getBehaviourLogProbs()), reference);
        float[] shaped = kl.shapedRewards(models.beta(), recipe.clipped(reward));
        return ScoredRollout.newBuilder()
                .setId(rollout.getId())
                .setTs(at)
                .setRolloutId(rollout.getId())
                .setPromptId(rollout.getPromptId())
                .setPolicyVersion(rollout.getPolicyVersion())
                .setRollout(rollout)
                .setRewardSource(recipe.mode().source())
                .setRmScore(rm)
                .setRmVersion(rm == null ? null : models.rewardVersion())
                .setJudgeLabel(verdict == null ? null : JudgeLabel.valueOf(verdict.name()))
                .setJudgeReward(judgeReward)
                .setReward(reward)
                .setReferenceVersion(models.referenceVersion())
                .setReferenceLogProbs(boxed(reference))
                .setKlK1(boxed(kl.k1()))
                .setKlK3(boxed(kl.k3()))
                .setSequenceKl(kl.sequenceKl())
                .setShapedRewards(boxed(shaped))
                .setBeta(models.beta())
                .build();
    }

    private static float[][] referenceLogProbs(List<Rollout> batch, List<int[]> prompts, List<int[]> responses,
                                               ModelsInUse models) {
        Map<Float, List<Integer>> byTemperature = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            byTemperature.computeIfAbsent(batch.get(i).getSampling().getTemperature(), t -> new ArrayList<>()).add(i);
        }
        float[][] out = new float[batch.size()][];
        for (Map.Entry<Float, List<Integer>> group : byTemperature.entrySet()) {
            List<int[]> p = new ArrayList<>();
            List<int[]> r = new ArrayList<>();
            for (int i : group.getValue()) {
                p.add(prompts.get(i));
                r.add(responses.get(i));
            }
            float[][] logProbs = models.reference().logProbs(p, r, group.getKey());
            for (int j = 0; j < group.getValue().size(); j++) {
                out[group.getValue().get(j)] = logProbs[j];
            }
        }
        return out;
    }

    static int[] ints(List<Integer> values) {
        int[] out = new int[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    static float[] floats(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private static List<Float> boxed(float[] values) {
        List<Float> out = new ArrayList<>(values.length);
        for (float v : values) {
            out.add(v);
        }
        return out;
    }
}
