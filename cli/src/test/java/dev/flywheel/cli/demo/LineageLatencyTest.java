package dev.flywheel.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.flywheel.cli.bench.LatencySummary;
import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.runtime.embedded.EmbeddedKafkaExtension;
import dev.flywheel.runtime.topics.Topics;
import dev.flywheel.schemas.FinishReason;
import dev.flywheel.schemas.JudgeLabel;
import dev.flywheel.schemas.OffsetRange;
import dev.flywheel.schemas.PolicyVersion;
import dev.flywheel.schemas.PreferencePair;
import dev.flywheel.schemas.PreferenceSource;
import dev.flywheel.schemas.Prompt;
import dev.flywheel.schemas.RewardSource;
import dev.flywheel.schemas.Rollout;
import dev.flywheel.schemas.SamplingParams;
import dev.flywheel.schemas.ScoredRollout;
import dev.flywheel.schemas.serde.AvroSerdes;
import dev.flywheel.schemas.serde.TrustedSchemaPackage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The feedback-to-policy latency on hand-made records with known times: each lineage record counts once, from the
 * event that started it (prompt for a scored rollout, feedback for a human label, votes for a pair) to the first
 * version whose lineage holds it.
 */
class LineageLatencyTest {
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.singleNode();

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private final Topics topics = Topics.withPrefix("lin.");

    @Test
    void measuresFromEachRecordsEventToTheFirstVersionWhoseLineageHoldsIt() throws Exception {
        KafkaSettings kafka = KafkaSettings.of(KAFKA.bootstrapServers());
        try (Admin admin = Admin.create(kafka.adminProperties())) {
            topics.createAll(admin);
        }
        TrustedSchemaPackage.ensureTrusted();
        String scored = topics.scoredRollouts().name();
        String pairs = topics.preferences().name();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.clientProperties(Map.of(
                ProducerConfig.ACKS_CONFIG, "all")), new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 3; i++) {
                Prompt p = Prompt.newBuilder().setId("p" + i).setTs(T0.plusSeconds(i)).setTenant("t").setText("Q")
                        .setMetadata(Map.of()).build();
                send(producer, topics.prompts().name(), 0, AvroSerdes.prompt().serializer().serialize("x", p));
            }
            // offsets 0-2: model-scored rollouts of p0, p1, p2 sampled by v3 (rewards 1, 1, -1); offset 3: a human label
            double[] rewards = {1, 1, -1};
            for (int i = 0; i < 3; i++) {
                send(producer, scored, 0, AvroSerdes.scoredRollout().serializer().serialize("x",
                        scoredRollout("p" + i, RewardSource.JUDGE, T0.plusSeconds(30), rewards[i])));
            }
            send(producer, scored, 0, AvroSerdes.scoredRollout().serializer().serialize("x",
                    scoredRollout("p0", RewardSource.HUMAN, T0.plusSeconds(3), 1)));
            send(producer, pairs, 0, AvroSerdes.preferencePair().serializer().serialize("x", pair(T0.plusSeconds(4))));
            send(producer, topics.policyVersions().name(), 0, version("policy", 1, T0.plusSeconds(10),
                    List.of(range(scored, 0, 2))));
            send(producer, topics.policyVersions().name(), 0, version("policy", 2, T0.plusSeconds(20),
                    List.of(range(scored, 0, 4), range(pairs, 0, 1))));
            send(producer, topics.policyVersions().name(), 0, version("reward-model", 1, T0.plusSeconds(50),
                    List.of(range(scored, 0, 4))));
        }

        try (LineageLatency latency = LineageLatency.follow(kafka, topics, "policy")) {
            assertThat(latency.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
            assertThat(latency.versions()).extracting(PolicyVersion::getVersion).containsExactly(1L, 2L);
            // 10 s (p0 in v1), 9 s (p1 in v1), 18 s (p2 in v2), 17 s (label in v2), 16 s (pair in v2)
            LatencySummary summary = latency.latency(T0).orElseThrow();
            assertThat(summary.count()).isEqualTo(5);
            assertThat(summary.p50()).isEqualTo(16_000.0);
            assertThat(summary.p95()).isEqualTo(18_000.0);
            assertThat(summary.mean()).isCloseTo(14_000.0, within(0.1));
            assertThat(latency.latency(T0.plusSeconds(15)).orElseThrow().count())
                    .as("only v2 was published after T0+15s; p0 and p1 count from v2 then").isEqualTo(5);
            assertThat(latency.meanReward(3).getAsDouble()).isCloseTo(1.0 / 3, within(1e-9));
            assertThat(latency.meanReward(0)).isEmpty();
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, int partition, byte[] value)
            throws Exception {
        producer.send(new ProducerRecord<>(topic, partition, "k", value)).get();
    }

    private static ScoredRollout scoredRollout(String promptId, RewardSource source, Instant ts, double reward) {
        Rollout r = Rollout.newBuilder().setId(promptId + "#" + source).setTs(ts).setPromptId(promptId).setTenant("t")
                .setPrompt("Q").setPromptTokenIds(List.of(1)).setResponse("A").setResponseTokenIds(List.of(2))
                .setBehaviourLogProbs(List.of(-0.1f)).setPolicyVersion(3)
                .setSampling(SamplingParams.newBuilder().setTemperature(1f).setTopK(0).setTopP(1f).setMaxNewTokens(4)
                        .setSeed(1).build())
                .setGroupId(promptId).setGroupIndex(0).setGroupSize(1).setFinishReason(FinishReason.EOS)
                .setMetadata(Map.of()).build();
        return ScoredRollout.newBuilder().setId(r.getId()).setTs(ts).setRolloutId(r.getId()).setPromptId(promptId)
                .setPolicyVersion(3).setRollout(r).setRewardSource(source).setJudgeLabel(JudgeLabel.RIGHT)
                .setJudgeReward(reward).setReward(reward).setReferenceLogProbs(List.of(-0.1f)).setKlK1(List.of(0f))
                .setKlK3(List.of(0f)).setSequenceKl(0).setShapedRewards(List.of(0f)).setBeta(0.05).build();
    }

    private static PreferencePair pair(Instant ts) {
        return PreferencePair.newBuilder().setId("pair").setTs(ts).setPromptId("p1").setTenant("t").setPrompt("Q")
                .setPromptTokenIds(List.of(1)).setChosen("A").setChosenTokenIds(List.of(2)).setChosenRolloutId("r1")
                .setRejected("B").setRejectedTokenIds(List.of(3)).setRejectedRolloutId("r2").setPolicyVersion(3L)
                .setSource(PreferenceSource.HUMAN).setMargin(1.0).setAgreement(1.0).setRaterIds(List.of("u"))
                .setFeedbackIds(List.of("f")).build();
    }

    private static OffsetRange range(String topic, long from, long to) {
        return OffsetRange.newBuilder().setTopic(topic).setPartition(0).setFromOffset(from).setToOffset(to).build();
    }

    private static byte[] version(String model, long version, Instant ts, List<OffsetRange> lineage) {
        PolicyVersion v = PolicyVersion.newBuilder().setId(model + "@" + version).setTs(ts).setModel(model)
                .setVersion(version).setParent(version - 1).setStep(version * 10).setSha256("ab".repeat(32))
                .setUri("store:ab").setSizeBytes(1).setBeta(0.05).setAlgo("ppo").setMetrics(Map.of())
                .setLineage(lineage).build();
        return AvroSerdes.policyVersion().serializer().serialize("x", v);
    }
}
