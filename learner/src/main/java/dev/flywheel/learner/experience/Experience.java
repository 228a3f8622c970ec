package dev.flywheel.learner.experience;

import dev.flywheel.learner.ledger.RecordPosition;

/**
 * One scored response as the policy-gradient learners use it.
 *
 * @param source             where the scored rollout was read
 * @param rolloutId          the rollout's id
 * @param prompt             prompt token ids (BOS first)
 * @param response           response token ids
 * @param behaviourLogProbs  per-token log-probs under the policy that sampled it
 * @param referenceLogProbs  per-token log-probs under the frozen reference (from the scorer)
 * @param reward             the scalar reward of the whole response
 * @param policyVersion      version of the policy that sampled it
 * @param temperature        sampling temperature the behaviour log-probs are taken at
 * @param groupId            id shared by the samples of one prompt in one generation step
 * @param groupSize          number of samples in the group
 */
public record Experience(RecordPosition source, String rolloutId, int[] prompt, int[] response,
                         float[] behaviourLogProbs, float[] referenceLogProbs, double reward, long policyVersion,
                         float temperature, String groupId, int groupSize) {

    /** Number of response tokens. */
    public int length() {
        return response.length;
    }

    /** The same experience with another reward (the test hook that injects a NaN uses this). */
    public Experience withReward(double newReward) {
        return new Experience(source, rolloutId, prompt, response, behaviourLogProbs, referenceLogProbs, newReward,
                policyVersion, temperature, groupId, groupSize);
    }
}
