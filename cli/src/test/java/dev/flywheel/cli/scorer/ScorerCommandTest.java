package dev.flywheel.cli.scorer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.flywheel.cli.CommandRun;
import dev.flywheel.core.bootstrap.Bootstrap;
import dev.flywheel.core.bootstrap.BootstrapListener;
import dev.flywheel.core.bootstrap.BootstrapOptions;
import dev.flywheel.core.model.ReferenceModel;
import dev.flywheel.core.store.ModelStore;
import dev.flywheel.runtime.embedded.EmbeddedKafkaExtension;
import dev.flywheel.schemas.FinishReason;
import dev.flywheel.schemas.Rollout;
import dev.flywheel.schemas.SamplingParams;
import dev.flywheel.schemas.serde.AvroSerdes;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ScorerCommandTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.singleNode();

    @TempDir
    static Path models;

    @BeforeAll
    static void topicsAndModels() {
        CommandRun run = CommandRun.of("topics", "create", "--bootstrap-servers", KAFKA.bootstrapServers());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        Bootstrap.run(BootstrapOptions.quick(models, 3), BootstrapListener.silent());
    }

    @Test
    void scoresTheRolloutsOnTheTopicWithTheJudgeAndStopsAfterMaxRollouts(@TempDir Path state) {
        produceRollouts(List.of(" 7", " I don't know", " 9"));

        CommandRun scored = CommandRun.of("scorer", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--model-store", models.toString(), "--reward", "rm+judge", "--max-rollouts", "3",
                "--state-dir", state.toString(), "--application-id", "cli-scorer-test");
        assertThat(scored.exitCode()).as(scored.toString()).isZero();
        assertThat(scored.out()).contains("reward rm+judge, reward model v0, reference v0, beta 0.05")
                .contains("scored 3 rollouts");

        CommandRun consumed = CommandRun.of("consume", "fw.scored-rollouts", "--from-beginning", "--max", "3",
                "--bootstrap-servers", KAFKA.bootstrapServers());
        assertThat(consumed.exitCode()).as(consumed.toString()).isZero();
        assertThat(consumed.outLines()).hasSize(3)
                .anySatisfy(line -> assertThat(line).contains("\"rolloutId\":\"r-0\"").contains("\"judgeLabel\":\"RIGHT\""))
                .anySatisfy(line -> assertThat(line).contains("\"rolloutId\":\"r-1\"").contains("\"judgeLabel\":\"REFUSE\""))
                .anySatisfy(line -> assertThat(line).contains("\"rolloutId\":\"r-2\"").contains("\"judgeLabel\":\"WRONG\""))
                .allSatisfy(line -> assertThat(line).contains("\"rewardSource\":\"RM_AND_JUDGE\""));
    }

    @Test
    void rejectsBadSettingsNamingTheFlag(@TempDir Path empty) {
        CommandRun badReward = CommandRun.of("scorer", "--model-store", models.toString(), "--reward", "vibes");
        assertThat(badReward.exitCode()).isEqualTo(2);
        assertThat(badReward.err()).contains("--reward must be rm, judge or rm+judge, got 'vibes'");

        CommandRun badJudge = CommandRun.of("scorer", "--model-store", models.toString(), "--judge-rewards", "0,1,-1");
        assertThat(badJudge.exitCode()).isEqualTo(2);
        assertThat(badJudge.err()).contains("--judge-rewards").contains("right > refuse > wrong");

        CommandRun badBatch = CommandRun.of("scorer", "--model-store", models.toString(), "--batch-size", "0");
        assertThat(badBatch.exitCode()).isEqualTo(2);
        assertThat(badBatch.err()).contains("--batch-size must be at least 1");

        CommandRun noStore = CommandRun.of("scorer", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--model-store", empty.resolve("missing").toString());
        assertThat(noStore.exitCode()).isEqualTo(2);
        assertThat(noStore.err()).contains("--model-store").contains("flywheel bootstrap --out");
    }

    /** Rollouts of "Q: 3+4?" answering each text, with behaviour log-probs from the bootstrap reference. */
    private static void produceRollouts(List<String> responses) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        ModelStore store = ModelStore.open(models);
        try (ReferenceModel reference = ReferenceModel.wrapping(store.loadRef(Bootstrap.REFERENCE_REF).toModel(Device.cpu()));
             KafkaProducer<String, Rollout> producer = new KafkaProducer<>(props, new StringSerializer(),
                     AvroSerdes.rollout().serializer())) {
            String prompt = "Q: 3+4?\nA:";
            int[] promptIds = reference.tokenizer().encodePrompt(prompt);
            for (int i = 0; i < responses.size(); i++) {
                int[] body = reference.tokenizer().encode(responses.get(i));
                int[] response = java.util.Arrays.copyOf(body, body.length + 1);
                response[body.length] = reference.tokenizer().eosId();
                float[] logProbs = reference.logProbs(List.of(promptIds), List.of(response), 1f)[0];
                List<Float> behaviour = new ArrayList<>();
                for (float lp : logProbs) {
                    behaviour.add(lp);
                }
                Rollout rollout = Rollout.newBuilder().setId("r-" + i).setTs(Instant.now()).setPromptId("p-" + i)
                        .setPrompt(prompt).setPromptTokenIds(boxed(promptIds)).setResponse(responses.get(i))
                        .setResponseTokenIds(boxed(response)).setBehaviourLogProbs(behaviour).setPolicyVersion(0)
                        .setSampling(SamplingParams.newBuilder().setTemperature(1f).setTopK(0).setTopP(1f)
                                .setMaxNewTokens(8).setSeed(i).build())
                        .setGroupId("g-" + i).setGroupIndex(0).setGroupSize(1).setFinishReason(FinishReason.EOS)
                        .setMetadata(Map.of("task.answer", "7")).build();
                producer.send(new ProducerRecord<>("fw.rollouts", rollout.getPromptId(), rollout));
            }
            producer.flush();
        }
    }

    private static List<Integer> boxed(int[] ids) {
        List<Integer> out = new ArrayList<>();
        for (int id : ids) {
            out.add(id);
        }
        return out;
    }
}
