package dev.flywheel.cli.learner;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.flywheel.cli.CommandRun;
import dev.flywheel.core.bootstrap.Bootstrap;
import dev.flywheel.core.bootstrap.BootstrapListener;
import dev.flywheel.core.bootstrap.BootstrapOptions;
import dev.flywheel.core.model.TransformerModel;
import dev.flywheel.core.store.ModelStore;
import dev.flywheel.core.tokenizer.Tokenizer;
import dev.flywheel.runtime.embedded.EmbeddedKafkaExtension;
import dev.flywheel.schemas.PreferencePair;
import dev.flywheel.schemas.PreferenceSource;
import dev.flywheel.schemas.serde.AvroSerdes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class LearnerCommandTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.singleNode();

    @TempDir
    static Path models;

    @BeforeAll
    static void topicsModelsAndPairs() {
        CommandRun run = CommandRun.of("topics", "create", "--bootstrap-servers", KAFKA.bootstrapServers());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        Bootstrap.run(BootstrapOptions.quick(models, 3), BootstrapListener.silent());
        Tokenizer tokenizer;
        try (TransformerModel v0 = ModelStore.open(models).loadRef("policy-v0").toModel(Device.cpu())) {
            tokenizer = v0.tokenizer();
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        try (KafkaProducer<String, PreferencePair> producer = new KafkaProducer<>(props, new StringSerializer(),
                AvroSerdes.preferencePair().serializer())) {
            for (int i = 0; i < 32; i++) {
                PreferencePair pair = pair(tokenizer, i);
                producer.send(new ProducerRecord<>("fw.preferences", pair.getPromptId(), pair));
            }
        }
    }

    @Test
    void trainsDpoFromAConfigFileWhoseValuesTheCommandLineOverrides(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("learner.properties");
        Files.writeString(config, """
                # DPO on the human pairs, small batches
                batch-size=8
                publish-every=2
                max-steps=100
                no-evaluate=true
                """);
        CommandRun run = CommandRun.of("learner", "--algo", "dpo", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--model-store", models.toString(), "--metrics-port", "-1", "--config", config.toString(),
                "--max-steps", "4");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("learner dpo: policy v0 at step 0")
                .contains("published policy v1 at step 2").contains("published policy v2 at step 4")
                .contains("learner stopped at v2, step 4");
    }

    @Test
    void rejectsAnUnknownAlgorithmNamingTheFlagAndTheChoices() {
        CommandRun run = CommandRun.of("learner", "--algo", "sgd", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--model-store", models.toString(), "--metrics-port", "-1");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--algo sgd").contains("ppo, grpo, rloo, dpo, ipo, rm");
    }

    @Test
    void rejectsAnUnknownRootBaselineNamingTheFlagAndTheChoices() {
        CommandRun run = CommandRun.of("learner", "--algo", "ppo", "--root-baseline", "median", "--bootstrap-servers",
                KAFKA.bootstrapServers(), "--model-store", models.toString(), "--metrics-port", "-1");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--root-baseline").contains("median").contains("CRITIC, GROUP");
    }

    @Test
    void rejectsAConfigFileWithAnUnknownFlag(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("bad.properties");
        Files.writeString(config, "learning-rat=1e-4\n");
        CommandRun run = CommandRun.of("learner", "--algo", "grpo", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--model-store", models.toString(), "--metrics-port", "-1", "--config", config.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--learning-rat");
    }

    private static PreferencePair pair(Tokenizer tokenizer, int i) {
        String prompt = "Q: " + (i % 10) + "+" + (i / 10) + "?\nA:";
        String right = " " + (i % 10 + i / 10);
        String wrong = " " + (i % 10 + i / 10 + 1);
        String id = "pair-" + i;
        return PreferencePair.newBuilder().setId(id).setTs(Instant.now()).setPromptId(id).setTenant("test")
                .setPrompt(prompt).setPromptTokenIds(ints(tokenizer.encodePrompt(prompt)))
                .setChosen(right).setChosenTokenIds(ints(withEos(tokenizer, right))).setChosenRolloutId(id + "/c")
                .setRejected(wrong).setRejectedTokenIds(ints(withEos(tokenizer, wrong))).setRejectedRolloutId(id + "/r")
                .setSource(PreferenceSource.HUMAN).setMargin(1.0).setRaterIds(List.of("r")).setFeedbackIds(List.of(id))
                .build();
    }

    private static int[] withEos(Tokenizer tokenizer, String text) {
        int[] body = tokenizer.encode(text);
        int[] ids = Arrays.copyOf(body, body.length + 1);
        ids[body.length] = tokenizer.eosId();
        return ids;
    }

    private static List<Integer> ints(int[] ids) {
        return Arrays.stream(ids).boxed().toList();
    }
}
