package dev.flywheel.feedback.join;

import dev.flywheel.feedback.FeedbackTopology;
import dev.flywheel.schemas.Rollout;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Re-keys rollouts (keyed by prompt id on the rollouts topic) by response id for the join, keeping only what the
 * join needs (ids and times): texts and token ids stay with the prompt-keyed copy the aggregation stores.
 */
public final class RolloutRekey implements Processor<String, Rollout, String, Rollout> {
    private ProcessorContext<String, Rollout> context;

    @Override
    public void init(ProcessorContext<String, Rollout> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, Rollout> record) {
        Rollout rollout = record.value();
        if (rollout == null) {
            return;
        }
        context.forward(record.withKey(rollout.getId()).withValue(slim(rollout)), FeedbackTopology.ROLLOUTS_BY_RESPONSE_SINK);
    }

    /** The rollout without texts, token ids, log-probs and metadata. */
    static Rollout slim(Rollout rollout) {
        return Rollout.newBuilder(rollout).setPrompt("").setPromptTokenIds(List.of()).setResponse("")
                .setResponseTokenIds(List.of()).setBehaviourLogProbs(List.of()).setMetadata(Map.of()).build();
    }
}
