package dev.flywheel.learner.ppo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.flywheel.core.loss.GroupBaseline;
import dev.flywheel.core.loss.Losses;
import dev.flywheel.core.model.ResponseBatch;
import dev.flywheel.core.model.TransformerModel;
import dev.flywheel.learner.experience.Experience;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fixed part of a policy-gradient batch, computed once before its epochs without gradients: log-probs under the
 * policy as it was when the batch arrived (π_old), truncated importance weights against the behaviour policy,
 * per-token advantages and, for PPO, the critic's old values and returns.
 *
 * @param oldLogProbs per-token log π_old
 * @param weights     per-token min(π_old / π_behaviour, cap): the off-policy correction
 * @param advantages  per-token advantages
 * @param oldValues   per-token critic values (PPO only, else null)
 * @param returns     per-token GAE returns (PPO only, else null)
 * @param sequenceKl  per-response Σ (log π_old − log π_ref): the KL to the reference
 */
record AdvantagePlan(float[][] oldLogProbs, float[][] weights, float[][] advantages, float[][] oldValues,
                     float[][] returns, double[] sequenceKl) {

    /** Plans a batch; {@code beta} shapes PPO's rewards when the KL is placed in the reward. */
    static AdvantagePlan of(TransformerModel model, List<Experience> batch, PolicyGradientConfig config, double beta) {
        List<int[]> prompts = batch.stream().map(Experience::prompt).toList();
        List<int[]> responses = batch.stream().map(Experience::response).toList();
        float temperature = batch.get(0).temperature();
        float[][] old = model.logProbs(prompts, responses, temperature);
        int n = batch.size();
        float[][] weights = new float[n][];
        double[] kl = new double[n];
        for (int i = 0; i < n; i++) {
            Experience e = batch.get(i);
            weights[i] = new float[e.length()];
            for (int t = 0; t < e.length(); t++) {
                double ratio = Math.exp(old[i][t] - e.behaviourLogProbs()[t]);
                weights[i][t] = (float) Math.min(ratio, config.importanceCap());
                kl[i] += old[i][t] - e.referenceLogProbs()[t];
            }
        }
        if (!config.usesCritic()) {
            return new AdvantagePlan(old, weights, groupAdvantages(batch, config.advantage()), null, null, kl);
        }
        float[][] values = model.values(prompts, responses);
        float[][] rewards = shapedRewards(batch, old, config.kl() == KlPlacement.REWARD ? beta : 0);
        float[][] baseline = config.rootBaseline() == RootBaseline.GROUP ? GroupRootValues.of(batch, rewards, values)
                : values;
        float[][][] gae = gae(model, prompts, responses, rewards, baseline, config);
        return new AdvantagePlan(old, weights, whiten(gae[0]), values, gae[1], kl);
    }

    /** Per token −β·(log π_old − log π_ref), plus the response's reward on its last token. */
    private static float[][] shapedRewards(List<Experience> batch, float[][] old, double beta) {
        float[][] out = new float[batch.size()][];
        for (int i = 0; i < batch.size(); i++) {
            Experience e = batch.get(i);
            out[i] = new float[e.length()];
            for (int t = 0; t < e.length(); t++) {
                out[i][t] = (float) (-beta * (old[i][t] - e.referenceLogProbs()[t]));
            }
            out[i][e.length() - 1] += (float) e.reward();
        }
        return out;
    }

    private static float[][][] gae(TransformerModel model, List<int[]> prompts, List<int[]> responses,
                                   float[][] rewards, float[][] values, PolicyGradientConfig config) {
        ResponseBatch rb = model.responseBatch(prompts, responses);
        try (NDManager scope = model.newScope()) {
            NDArray mask = rb.responseMask(scope);
            NDArray[] out = Losses.gae(rb.rightAligned(scope, rewards), rb.rightAligned(scope, values), mask,
                    config.gamma(), config.lambda());
            return new float[][][] {rb.responseRows(out[0]), rb.responseRows(out[1])};
        }
    }

    /** Sequence advantages from each prompt's group of samples, spread over the response's tokens. */
    private static float[][] groupAdvantages(List<Experience> batch, String kind) {
        GroupBaseline baseline = GroupBaseline.named(kind);
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            groups.computeIfAbsent(batch.get(i).groupId(), k -> new java.util.ArrayList<>()).add(i);
        }
        float[][] out = new float[batch.size()][];
        groups.values().forEach(members -> {
            float[] rewards = new float[members.size()];
            for (int k = 0; k < rewards.length; k++) {
                rewards[k] = (float) batch.get(members.get(k)).reward();
            }
            // A lone sample has no baseline to compare with: it teaches nothing (advantage 0).
            float[] adv = rewards.length < 2 ? new float[rewards.length] : baseline.advantagesOf(rewards);
            for (int k = 0; k < rewards.length; k++) {
                int i = members.get(k);
                out[i] = new float[batch.get(i).length()];
                java.util.Arrays.fill(out[i], adv[k]);
            }
        });
        return out;
    }

    /** Zero mean, unit variance over every token of the batch (PPO's usual advantage normalisation). */
    private static float[][] whiten(float[][] rows) {
        double sum = 0;
        double squares = 0;
        long count = 0;
        for (float[] row : rows) {
            for (float v : row) {
                sum += v;
                squares += (double) v * v;
                count++;
            }
        }
        double mean = sum / Math.max(1, count);
        double std = Math.sqrt(Math.max(0, squares / Math.max(1, count) - mean * mean));
        float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = new float[rows[i].length];
            for (int t = 0; t < rows[i].length; t++) {
                out[i][t] = (float) ((rows[i][t] - mean) / (std + 1e-8));
            }
        }
        return out;
    }
}
