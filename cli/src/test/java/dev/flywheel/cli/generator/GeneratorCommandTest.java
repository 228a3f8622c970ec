package dev.flywheel.cli.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.cli.CommandRun;
import dev.flywheel.core.bootstrap.Bootstrap;
import dev.flywheel.core.bootstrap.BootstrapListener;
import dev.flywheel.core.bootstrap.BootstrapOptions;
import dev.flywheel.runtime.embedded.EmbeddedKafkaExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class GeneratorCommandTest {

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
    void generatesTheRolloutsOfEveryPromptAndStopsAfterMaxPrompts(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("prompts.jsonl");
        Files.writeString(file, """
                {"id": "p-1", "text": "Q: 3+4?\\nA:", "metadata": {"task.answer": "7"}}
                {"id": "p-2", "text": "Q: code of kovar?\\nA:"}
                {"id": "p-3", "text": ""}
                """);
        CommandRun produced = CommandRun.of("produce", "fw.prompts", "--file", file.toString(),
                "--bootstrap-servers", KAFKA.bootstrapServers());
        assertThat(produced.exitCode()).as(produced.toString()).isZero();

        CommandRun generated = CommandRun.of("generator", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--model-store", models.toString(), "--samples-per-prompt", "2", "--max-new-tokens", "8",
                "--max-prompts", "3", "--instance-id", "cli-test");
        assertThat(generated.exitCode()).as(generated.toString()).isZero();
        assertThat(generated.out()).contains("sampling with policy version 0")
                .contains("generated 4 rollouts for 3 prompts (1 dead-lettered), 0 swap(s), policy version 0 at the end");

        CommandRun consumed = CommandRun.of("consume", "fw.rollouts", "--from-beginning", "--max", "4",
                "--bootstrap-servers", KAFKA.bootstrapServers());
        assertThat(consumed.exitCode()).as(consumed.toString()).isZero();
        assertThat(consumed.outLines()).hasSize(4)
                .anySatisfy(line -> assertThat(line).contains("\"id\":\"p-1/v0/0\"").contains("\"groupSize\":2"))
                .anySatisfy(line -> assertThat(line).contains("\"id\":\"p-2/v0/1\""));
        CommandRun dead = CommandRun.of("consume", "fw.dead-letters", "--from-beginning", "--max", "1", "--with-metadata",
                "--bootstrap-servers", KAFKA.bootstrapServers());
        assertThat(dead.exitCode()).as(dead.toString()).isZero();
        assertThat(dead.outLines()).singleElement().asString().contains("\"id\":\"p-3\"");
    }

    @Test
    void rejectsBadSettingsNamingTheFlag(@TempDir Path empty) {
        CommandRun noSamples = CommandRun.of("generator", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--model-store", models.toString(), "--samples-per-prompt", "0");
        assertThat(noSamples.exitCode()).isEqualTo(2);
        assertThat(noSamples.err()).contains("--samples-per-prompt must be at least 1");

        CommandRun coldTemperature = CommandRun.of("generator", "--model-store", models.toString(), "--temperature", "0");
        assertThat(coldTemperature.exitCode()).isEqualTo(2);
        assertThat(coldTemperature.err()).contains("--temperature").contains("temperature must be a finite number > 0");

        CommandRun noStore = CommandRun.of("generator", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--model-store", empty.resolve("missing").toString());
        assertThat(noStore.exitCode()).isEqualTo(2);
        assertThat(noStore.err()).contains("--model-store").contains("flywheel bootstrap --out");
        assertThat(empty.resolve("missing")).doesNotExist();
    }
}
