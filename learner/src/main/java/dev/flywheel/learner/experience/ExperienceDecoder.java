package dev.flywheel.learner.experience;

import dev.flywheel.learner.ledger.RecordPosition;
import dev.flywheel.schemas.PreferencePair;
import dev.flywheel.schemas.PreferenceSource;
import dev.flywheel.schemas.RewardSource;
import dev.flywheel.schemas.Rollout;
import dev.flywheel.schemas.ScoredRollout;
import java.util.List;

/** Turns decoded Avro records into training examples, rejecting what no learner could train on. */
public final class ExperienceDecoder {

    private final int vocabSize;
    private final int context;

    /** A decoder for a policy with this vocabulary and context. */
    public ExperienceDecoder(int vocabSize, int context) {
        this.vocabSize = vocabSize;
        this.context = context;
    }

    /**
     * Whether a scored rollout carries a model reward: HUMAN labels from feedback-ingest share the topic but have no
     * reference log-probs; the policy-gradient learners leave them to the preference and reward-model learners.
     */
    public static boolean isModelScored(ScoredRollout scored) {
        return scored.getRewardSource() != RewardSource.HUMAN;
    }

    /** The experience of a model-scored rollout read at {@code source}. */
    public Experience experience(RecordPosition source, ScoredRollout scored) {
        Rollout r = scored.getRollout();
        int[] prompt = tokens("promptTokenIds", r.getPromptTokenIds());
        int[] response = tokens("responseTokenIds", r.getResponseTokenIds());
        if (prompt.length == 0) {
            throw new InvalidRecordException("rollout " + r.getId() + " has no prompt tokens; the generator must "
                    + "write promptTokenIds starting with BOS");
        }
        if (response.length == 0) {
            throw new InvalidRecordException("rollout " + r.getId() + " has an empty response; nothing to train on");
        }
        if (prompt.length + response.length > context) {
            throw new InvalidRecordException("rollout " + r.getId() + " has " + (prompt.length + response.length)
                    + " tokens but the policy's context is " + context);
        }
        float[] behaviour = floats("behaviourLogProbs", r.getBehaviourLogProbs(), response.length, r.getId());
        float[] reference = floats("referenceLogProbs", scored.getReferenceLogProbs(), response.length, r.getId());
        double reward = scored.getReward();
        if (!Double.isFinite(reward)) {
            throw new InvalidRecordException("scored rollout " + scored.getId() + " has reward " + reward
                    + "; rewards must be finite numbers");
        }
        float temperature = r.getSampling() == null ? 1f : (float) r.getSampling().getTemperature();
        return new Experience(source, r.getId(), prompt, response, behaviour, reference, reward,
                scored.getPolicyVersion(), temperature > 0 ? temperature : 1f, r.getGroupId(), r.getGroupSize());
    }

    /** The comparison a preference pair read at {@code source} holds. */
    public PreferenceExample preference(RecordPosition source, PreferencePair pair) {
        int[] prompt = tokens("promptTokenIds", pair.getPromptTokenIds());
        int[] chosen = tokens("chosenTokenIds", pair.getChosenTokenIds());
        int[] rejected = tokens("rejectedTokenIds", pair.getRejectedTokenIds());
        if (prompt.length == 0 || chosen.length == 0 || rejected.length == 0) {
            throw new InvalidRecordException("preference pair " + pair.getId() + " has an empty prompt, chosen or "
                    + "rejected token list; feedback-ingest must copy the token ids of both responses");
        }
        if (prompt.length + Math.max(chosen.length, rejected.length) > context) {
            throw new InvalidRecordException("preference pair " + pair.getId() + " is longer than the policy's "
                    + "context of " + context + " tokens");
        }
        return new PreferenceExample(source, pair.getId(), prompt, chosen, rejected,
                pair.getSource() == PreferenceSource.HUMAN);
    }

    private int[] tokens(String field, List<Integer> ids) {
        int[] out = new int[ids.size()];
        for (int i = 0; i < out.length; i++) {
            int id = ids.get(i);
            if (id < 0 || id >= vocabSize) {
                throw new InvalidRecordException(field + "[" + i + "] = " + id + " is outside the policy's vocabulary "
                        + "of " + vocabSize + " tokens; was it produced by another tokenizer?");
            }
            out[i] = id;
        }
        return out;
    }

    private static float[] floats(String field, List<Float> values, int expected, String id) {
        if (values.size() != expected) {
            throw new InvalidRecordException("rollout " + id + " has " + values.size() + " " + field + " for "
                    + expected + " response tokens; the scorer must write one per token");
        }
        float[] out = new float[expected];
        for (int i = 0; i < expected; i++) {
            float v = values.get(i);
            if (!Float.isFinite(v) || v > 0) {
                throw new InvalidRecordException("rollout " + id + " has " + field + "[" + i + "] = " + v
                        + "; log-probabilities must be finite and <= 0");
            }
            out[i] = v;
        }
        return out;
    }
}
