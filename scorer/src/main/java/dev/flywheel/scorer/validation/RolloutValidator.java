package dev.flywheel.scorer.validation;

import dev.flywheel.schemas.Rollout;
import dev.flywheel.scorer.scoring.ModelsInUse;
import dev.flywheel.scorer.scoring.RolloutScorer;
import java.util.List;

/**
 * The checks a rollout must pass before it joins a batch: everything the model calls and the judge rely on, so
 * that one bad record can never fail a whole micro-batch.
 */
public final class RolloutValidator {

    /** Behaviour log-probs above this are not log-probabilities (a little slack for float rounding). */
    private static final float MAX_LOG_PROB = 1e-4f;

    private final boolean needsAnswer;

    /** A validator; {@code needsAnswer} when the judge is on and every rollout must carry {@code task.answer}. */
    public RolloutValidator(boolean needsAnswer) {
        this.needsAnswer = needsAnswer;
    }

    /** Throws {@link InvalidRolloutException} naming the first problem of {@code rollout} for these models. */
    public void check(Rollout rollout, ModelsInUse models) {
        String id = rollout.getId();
        require(id != null && !id.isBlank(), "?", "id is blank; the generator gives every rollout a unique id");
        require(!rollout.getPromptId().isBlank(), id, "promptId is blank");
        List<Integer> prompt = rollout.getPromptTokenIds();
        List<Integer> response = rollout.getResponseTokenIds();
        require(!prompt.isEmpty(), id, "promptTokenIds is empty; a prompt starts at least with BOS");
        require(!response.isEmpty(), id, "responseTokenIds is empty; there is no token to score");
        require(rollout.getBehaviourLogProbs().size() == response.size(), id, "behaviourLogProbs has "
                + rollout.getBehaviourLogProbs().size() + " entries but responseTokenIds has " + response.size()
                + "; they must be the same length (one log-prob per response token)");
        require(prompt.size() + response.size() <= models.context(), id, "prompt + response is "
                + (prompt.size() + response.size()) + " tokens, longer than the models' context of " + models.context());
        checkIds("promptTokenIds", prompt, models.vocabSize(), id);
        checkIds("responseTokenIds", response, models.vocabSize(), id);
        List<Float> logProbs = rollout.getBehaviourLogProbs();
        for (int t = 0; t < logProbs.size(); t++) {
            float lp = logProbs.get(t);
            require(Float.isFinite(lp) && lp <= MAX_LOG_PROB, id, "behaviourLogProbs[" + t + "] = " + lp
                    + " is not a log-probability (must be finite and <= 0)");
        }
        float temperature = rollout.getSampling().getTemperature();
        require(Float.isFinite(temperature) && temperature > 0, id, "sampling.temperature = " + temperature
                + " must be finite and > 0");
        if (needsAnswer) {
            String answer = rollout.getMetadata().get(RolloutScorer.ANSWER_KEY);
            require(answer != null, id, "metadata has no '" + RolloutScorer.ANSWER_KEY + "', which the judge checks; "
                    + "send prompts with it, or run the scorer with --reward rm");
        }
    }

    private static void checkIds(String field, List<Integer> ids, int vocabSize, String id) {
        for (int t = 0; t < ids.size(); t++) {
            int token = ids.get(t);
            require(token >= 0 && token < vocabSize, id, field + "[" + t + "] = " + token
                    + " is outside the vocabulary 0.." + (vocabSize - 1));
        }
    }

    private static void require(boolean ok, String rolloutId, String problem) {
        if (!ok) {
            throw new InvalidRolloutException("rollout " + rolloutId + ": " + problem);
        }
    }
}
