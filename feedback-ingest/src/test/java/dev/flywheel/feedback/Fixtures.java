package dev.flywheel.feedback;

import dev.flywheel.schemas.Feedback;
import dev.flywheel.schemas.FeedbackKind;
import dev.flywheel.schemas.FinishReason;
import dev.flywheel.schemas.Rollout;
import dev.flywheel.schemas.SamplingParams;
import dev.flywheel.schemas.serde.TrustedSchemaPackage;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Rollouts and feedback for tests, built the way the generator and clients build them. */
public final class Fixtures {
    static {
        // Copying a record with newBuilder(record) needs Avro to trust the schema package.
        TrustedSchemaPackage.ensureTrusted();
    }

    private Fixtures() {
    }

    /** A rollout {@code id} answering prompt {@code promptId} with {@code response} at {@code ts}. */
    public static Rollout rollout(String id, String promptId, String response, Instant ts) {
        return Rollout.newBuilder().setId(id).setTs(ts).setPromptId(promptId).setPrompt("Q: 3+4?\nA:")
                .setPromptTokenIds(List.of(1, 2, 3)).setResponse(response).setResponseTokenIds(List.of(4, 5))
                .setBehaviourLogProbs(List.of(-0.5f, -0.25f)).setPolicyVersion(1L)
                .setSampling(new SamplingParams(1.0f, 0, 1.0f, 8, 7L)).setGroupId("g-" + promptId).setGroupIndex(0)
                .setGroupSize(2).setFinishReason(FinishReason.EOS).setMetadata(Map.of("task.answer", "7")).build();
    }

    /** Feedback {@code id} of {@code kind} with {@code value} by {@code rater} on {@code responseId} at {@code ts}. */
    public static Feedback feedback(String id, FeedbackKind kind, double value, String rater, String responseId, Instant ts) {
        return Feedback.newBuilder().setId(id).setTs(ts).setResponseId(responseId).setKind(kind).setValue(value)
                .setRaterId(rater).build();
    }

    /** {@code rater} prefers {@code chosen} over {@code other}. */
    public static Feedback prefers(String id, String rater, String chosen, String other, Instant ts) {
        return Feedback.newBuilder(feedback(id, FeedbackKind.PAIRWISE, 1, rater, chosen, ts)).setOtherResponseId(other).build();
    }
}
