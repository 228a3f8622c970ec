package dev.flywheel.cli.bench.serde;

import dev.flywheel.schemas.Feedback;
import dev.flywheel.schemas.FeedbackKind;
import dev.flywheel.schemas.FinishReason;
import dev.flywheel.schemas.JudgeLabel;
import dev.flywheel.schemas.MetricKind;
import dev.flywheel.schemas.MetricPoint;
import dev.flywheel.schemas.OffsetRange;
import dev.flywheel.schemas.PolicyVersion;
import dev.flywheel.schemas.PreferencePair;
import dev.flywheel.schemas.PreferenceSource;
import dev.flywheel.schemas.Prompt;
import dev.flywheel.schemas.RewardSource;
import dev.flywheel.schemas.Rollout;
import dev.flywheel.schemas.SamplingParams;
import dev.flywheel.schemas.ScoredRollout;
import dev.flywheel.schemas.serde.AvroSerde;
import dev.flywheel.schemas.serde.AvroSerdes;
import dev.flywheel.schemas.serde.TrustedSchemaPackage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One record of every message type, sized like the default task's traffic (16-token prompts, 32-token responses,
 * a version with a three-partition lineage), and the encode-then-decode round trip the serde benchmark times.
 * Serde speed depends on field sizes, not on values, so the values are drawn from a fixed seed.
 */
public final class SampleRecords {

    /** The message types, as the benchmark's {@code type} parameter names them. */
    public static final List<String> TYPES = List.of("Prompt", "Rollout", "ScoredRollout", "Feedback",
            "PreferencePair", "PolicyVersion", "MetricPoint");

    private static final int PROMPT_TOKENS = 16;
    private static final int RESPONSE_TOKENS = 32;
    private static final Instant TS = Instant.parse("2026-01-01T00:00:00Z");

    private SampleRecords() {
    }

    /** Encode then decode one sample record of {@code type} (one of {@link #TYPES}); returns the decoded record. */
    public static Supplier<Object> roundTrip(String type) {
        return switch (type) {
            case "Prompt" -> roundTrip(AvroSerdes.prompt(), prompt());
            case "Rollout" -> roundTrip(AvroSerdes.rollout(), rollout());
            case "ScoredRollout" -> roundTrip(AvroSerdes.scoredRollout(), scoredRollout());
            case "Feedback" -> roundTrip(AvroSerdes.feedback(), feedback());
            case "PreferencePair" -> roundTrip(AvroSerdes.preferencePair(), preferencePair());
            case "PolicyVersion" -> roundTrip(AvroSerdes.policyVersion(), policyVersion());
            case "MetricPoint" -> roundTrip(AvroSerdes.metricPoint(), metricPoint());
            default -> throw new IllegalArgumentException("unknown message type '" + type + "'; choose from "
                    + String.join(", ", TYPES));
        };
    }

    /** Bytes of {@code type}'s sample record in single-object encoding (header included). */
    public static int encodedSize(String type) {
        return switch (type) {
            case "Prompt" -> encode(AvroSerdes.prompt(), prompt()).length;
            case "Rollout" -> encode(AvroSerdes.rollout(), rollout()).length;
            case "ScoredRollout" -> encode(AvroSerdes.scoredRollout(), scoredRollout()).length;
            case "Feedback" -> encode(AvroSerdes.feedback(), feedback()).length;
            case "PreferencePair" -> encode(AvroSerdes.preferencePair(), preferencePair()).length;
            case "PolicyVersion" -> encode(AvroSerdes.policyVersion(), policyVersion()).length;
            case "MetricPoint" -> encode(AvroSerdes.metricPoint(), metricPoint()).length;
            default -> throw new IllegalArgumentException("unknown message type '" + type + "'");
        };
    }

    private static <T extends SpecificRecord> Supplier<Object> roundTrip(AvroSerde<T> serde, T record) {
        Serializer<T> serializer = serde.serializer();
        Deserializer<T> deserializer = serde.deserializer();
        String topic = "fw.bench";
        return () -> deserializer.deserialize(topic, serializer.serialize(topic, record));
    }

    private static <T extends SpecificRecord> byte[] encode(AvroSerde<T> serde, T record) {
        return serde.serializer().serialize("fw.bench", record);
    }

    static Prompt prompt() {
        return Prompt.newBuilder().setId("bench-p42").setTs(TS).setTenant("default").setText("Q: 37+48?\nA:")
                .setMetadata(Map.of("task.kind", "sum", "task.knowledge", "in", "task.answer", "85",
                        "sim.user", "user-42"))
                .build();
    }

    static Rollout rollout() {
        SplittableRandom rng = new SplittableRandom(7);
        return Rollout.newBuilder().setId("bench-p42@v3#0").setTs(TS).setPromptId("bench-p42").setTenant("default")
                .setPrompt("Q: 37+48?\nA:").setPromptTokenIds(ints(rng, PROMPT_TOKENS)).setResponse(" 85\n")
                .setResponseTokenIds(ints(rng, RESPONSE_TOKENS)).setBehaviourLogProbs(logProbs(rng, RESPONSE_TOKENS))
                .setPolicyVersion(3)
                .setSampling(SamplingParams.newBuilder().setTemperature(1f).setTopK(0).setTopP(1f)
                        .setMaxNewTokens(RESPONSE_TOKENS).setSeed(rng.nextLong()).build())
                .setGroupId("bench-p42@v3").setGroupIndex(0).setGroupSize(4).setFinishReason(FinishReason.EOS)
                .setMetadata(Map.of("task.kind", "sum", "task.answer", "85")).build();
    }

    static ScoredRollout scoredRollout() {
        SplittableRandom rng = new SplittableRandom(8);
        Rollout r = rollout();
        return ScoredRollout.newBuilder().setId(r.getId()).setTs(TS).setRolloutId(r.getId())
                .setPromptId(r.getPromptId()).setPolicyVersion(3).setRollout(r)
                .setRewardSource(RewardSource.RM_AND_JUDGE).setRmScore(0.7).setRmVersion(0L)
                .setJudgeLabel(JudgeLabel.RIGHT).setJudgeReward(1.0).setReward(1.2).setReferenceVersion(0L)
                .setReferenceLogProbs(logProbs(rng, RESPONSE_TOKENS)).setKlK1(small(rng, RESPONSE_TOKENS))
                .setKlK3(small(rng, RESPONSE_TOKENS)).setSequenceKl(0.4).setShapedRewards(small(rng, RESPONSE_TOKENS))
                .setBeta(0.05).build();
    }

    static Feedback feedback() {
        return Feedback.newBuilder().setId("bench-f42").setTs(TS).setResponseId("bench-p42@v3#0")
                .setKind(FeedbackKind.PAIRWISE).setValue(1.0).setOtherResponseId("bench-p42@v3#1")
                .setRaterId("user-42").setPromptId("bench-p42").setTenant("default").build();
    }

    static PreferencePair preferencePair() {
        SplittableRandom rng = new SplittableRandom(9);
        return PreferencePair.newBuilder().setId("bench-pair42").setTs(TS).setPromptId("bench-p42")
                .setTenant("default").setPrompt("Q: 37+48?\nA:").setPromptTokenIds(ints(rng, PROMPT_TOKENS))
                .setChosen(" 85\n").setChosenTokenIds(ints(rng, RESPONSE_TOKENS)).setChosenRolloutId("bench-p42@v3#0")
                .setRejected(" 84\n").setRejectedTokenIds(ints(rng, RESPONSE_TOKENS))
                .setRejectedRolloutId("bench-p42@v3#1").setPolicyVersion(3L).setSource(PreferenceSource.HUMAN)
                .setMargin(1.0).setAgreement(0.8).setRaterIds(List.of("user-42", "user-7"))
                .setFeedbackIds(List.of("bench-f42", "bench-f43")).build();
    }

    static PolicyVersion policyVersion() {
        TrustedSchemaPackage.ensureTrusted();
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (String name : List.of("reward.mean", "reward.std", "kl.mean", "loss", "entropy",
                "response_length.mean", "records", "tokens", "eval.in.right", "eval.out.wrong")) {
            metrics.put(name, 0.5);
        }
        List<OffsetRange> lineage = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            lineage.add(OffsetRange.newBuilder().setTopic("fw.scored-rollouts").setPartition(p).setFromOffset(1000L)
                    .setToOffset(1213L).build());
        }
        return PolicyVersion.newBuilder().setId("policy@3").setTs(TS).setModel("policy").setVersion(3)
                .setParent(2L).setStep(30).setSha256("9f".repeat(32)).setUri(dev.flywheel.core.store.ModelStore.storeUri("9f".repeat(32)).toString())
                .setSizeBytes(3_400_000).setBeta(0.05).setAlgo("grpo").setMetrics(metrics).setLineage(lineage)
                .build();
    }

    static MetricPoint metricPoint() {
        return MetricPoint.newBuilder().setId("bench-m42").setTs(TS).setSeries("scorer.reward.mean")
                .setKind(MetricKind.STAT).setValue(0.42).setPolicyVersion(3L).setWindowStart(TS).setWindowEnd(TS)
                .setCount(128L).setTags(Map.of("algo", "grpo")).build();
    }

    private static List<Integer> ints(SplittableRandom rng, int n) {
        List<Integer> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(rng.nextInt(4, 100));
        }
        return out;
    }

    private static List<Float> logProbs(SplittableRandom rng, int n) {
        List<Float> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add((float) -rng.nextDouble(0, 5));
        }
        return out;
    }

    private static List<Float> small(SplittableRandom rng, int n) {
        List<Float> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add((float) rng.nextDouble(-0.1, 0.1));
        }
        return out;
    }
}
