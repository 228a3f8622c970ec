package dev.flywheel.learner.dpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.flywheel.core.model.ResponseBatch;
import dev.flywheel.core.model.TransformerModel;
import dev.flywheel.learner.experience.PreferenceExample;
import java.util.ArrayList;
import java.util.List;

/** Chosen and rejected responses of a list of pairs as one padded batch: rows 0..n-1 chosen, n..2n-1 rejected. */
final class PairBatch {

    private final ResponseBatch batch;
    private final int pairs;

    private PairBatch(ResponseBatch batch, int pairs) {
        this.batch = batch;
        this.pairs = pairs;
    }

    /** The batch of {@code examples} padded for {@code model}. */
    static PairBatch of(TransformerModel model, List<PreferenceExample> examples) {
        List<int[]> prompts = new ArrayList<>();
        List<int[]> responses = new ArrayList<>();
        examples.forEach(e -> {
            prompts.add(e.prompt());
            responses.add(e.chosen());
        });
        examples.forEach(e -> {
            prompts.add(e.prompt());
            responses.add(e.rejected());
        });
        return new PairBatch(model.responseBatch(prompts, responses), examples.size());
    }

    /** The padded sequences. */
    ResponseBatch responses() {
        return batch;
    }

    /** Summed response log-probs of each row under the model whose logits these are, (2n). */
    NDArray sequenceLogProbs(NDManager scope, NDArray logits) {
        NDArray perToken = batch.tokenLogProbs(logits, 1f);
        return perToken.mul(batch.responseMask(scope)).sum(new int[] {1});
    }

    /** The chosen half of a (2n) array. */
    NDArray chosen(NDArray rows) {
        return rows.get("0:" + pairs);
    }

    /** The rejected half of a (2n) array. */
    NDArray rejected(NDArray rows) {
        return rows.get(pairs + ":");
    }
}
