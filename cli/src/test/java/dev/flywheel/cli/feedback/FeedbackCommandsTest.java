package dev.flywheel.cli.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.cli.CommandRun;
import dev.flywheel.runtime.embedded.EmbeddedKafkaExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class FeedbackCommandsTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.singleNode();

    @BeforeAll
    static void topics() {
        CommandRun run = CommandRun.of("topics", "create", "--bootstrap-servers", KAFKA.bootstrapServers());
        assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    @Test
    void simulateSendsPromptsAtTheRateAndReportsWhatItSent() {
        CommandRun run = CommandRun.of("simulate", "--bootstrap-servers", KAFKA.bootstrapServers(), "--rate", "20",
                "--duration", "PT2S", "--drain", "PT1S", "--run-id", "cli-sim");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("simulate cli-sim: 20.0 prompts/s to fw.prompts")
                .contains("40 prompts").contains("0 responses");

        CommandRun consumed = CommandRun.of("consume", "fw.prompts", "--from-beginning", "--max", "40",
                "--bootstrap-servers", KAFKA.bootstrapServers());
        assertThat(consumed.outLines()).hasSize(40)
                .allSatisfy(line -> assertThat(line).contains("\"id\":\"cli-sim-p").contains("\"task.answer\""));
    }

    @Test
    void feedbackIngestRunsAndStopsWithASummary(@TempDir Path state) {
        CommandRun run = CommandRun.of("feedback-ingest", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--state-dir", state.toString(), "--run-for", "PT5S");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("feedback-ingest fw.feedback-ingest: fw.feedback + fw.rollouts")
                .contains("feedback-ingest stopped:").contains("0 feedback read");
    }

    @Test
    void rejectsBadSettingsNamingTheFlag() {
        CommandRun slow = CommandRun.of("simulate", "--rate", "0");
        assertThat(slow.exitCode()).isEqualTo(2);
        assertThat(slow.err()).contains("--rate must be a positive number");

        CommandRun noisy = CommandRun.of("simulate", "--noise", "0.6");
        assertThat(noisy.exitCode()).isEqualTo(2);
        assertThat(noisy.err()).contains("--noise must be a probability in [0, 0.5)");

        CommandRun crowd = CommandRun.of("simulate", "--raters", "2", "--raters-per-item", "3");
        assertThat(crowd.exitCode()).isEqualTo(2);
        assertThat(crowd.err()).contains("--raters-per-item (3) must be between 1 and --raters (2)");

        CommandRun quorum = CommandRun.of("feedback-ingest", "--quorum", "0");
        assertThat(quorum.exitCode()).isEqualTo(2);
        assertThat(quorum.err()).contains("--quorum must be at least 1 rater");

        CommandRun window = CommandRun.of("feedback-ingest", "--join-window", "PT0S");
        assertThat(window.exitCode()).isEqualTo(2);
        assertThat(window.err()).contains("--join-window must be a positive duration");
    }
}
