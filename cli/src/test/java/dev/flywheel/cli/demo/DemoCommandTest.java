package dev.flywheel.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.cli.CommandRun;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Must-show 2 of issue 9: a short demo (GRPO, {@link DemoSettings#quick()}: batches of 32, a version every 5 steps,
 * a fixed number of steps so the amount of training does not depend on the machine's speed) publishes versions with
 * lineage, reports every service's lag and no dead letters, and lowers the out-of-knowledge wrong rate below the SFT
 * policy's; it leaves no thread running, and a second run on the same data directory resumes from the checkpoint.
 */
class DemoCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void shortDemoLearnsToAbstainReportsLineageAndLagAndResumesFromItsCheckpoint() throws Exception {
        Set<Thread> before = liveNonDaemonThreads();
        Path data = dir.resolve("data");
        CommandRun first = demo(DemoSettings.quick(), data, dir.resolve("first.json"));
        System.out.println(first.out());
        assertThat(first.exitCode()).as(first.toString()).isZero();

        JsonNode report = JSON.readTree(dir.resolve("first.json").toFile());
        long versions = report.get("versions_published").asLong();
        assertThat(versions).as("versions published in %d steps", DemoSettings.quick().maxSteps()).isGreaterThanOrEqualTo(2);
        assertThat(report.get("dead_letters").asLong()).isZero();
        assertThat(report.get("feedback_to_policy_latency_ms").get("count").asLong())
                .as("records traced from the published versions' lineage to their prompt or feedback").isPositive();
        assertThat(report.get("feedback_to_policy_latency_ms").get("p95").asDouble())
                .isGreaterThanOrEqualTo(report.get("feedback_to_policy_latency_ms").get("p50").asDouble()).isPositive();
        for (String group : List.of(DemoPipeline.GENERATOR_GROUP, DemoPipeline.SCORER_GROUP, "fw.feedback-ingest",
                DemoPipeline.LEARNER_GROUP)) {
            assertThat(report.get("lag_records").get(group).isNumber()).as("lag of %s", group).isTrue();
        }
        assertThat(report.get("first").get("version").asLong()).isZero();
        assertThat(report.get("first").get("kl").asDouble()).isZero();
        double sftWrong = report.get("first").get("out").get("wrong").asDouble();
        double lastWrong = report.get("last").get("out").get("wrong").asDouble();
        assertThat(sftWrong).as("the SFT policy guesses on questions it cannot know").isGreaterThan(0.7);
        assertThat(lastWrong).as("out-of-knowledge wrong rate of v%s", report.get("last").get("version"))
                .isLessThan(sftWrong);
        assertThat(report.get("last").get("kl").asDouble()).isLessThan(report.get("kl_bound").asDouble());
        assertThat(first.outLines()).anyMatch(line -> line.startsWith("demo: dashboard at http://127.0.0.1:"))
                .anyMatch(line -> line.matches("\\s+v1\\s+\\d+ .*"));
        awaitNoThreadsLeftBut(before);

        long lastVersion = report.get("last").get("version").asLong();
        CommandRun second = demo(DemoSettings.quick().withMaxSteps(DemoSettings.quick().publishEvery()), data,
                dir.resolve("second.json"));
        System.out.println(second.out());
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.out()).contains("resumed at v" + lastVersion);
        JsonNode resumed = JSON.readTree(dir.resolve("second.json").toFile());
        assertThat(resumed.get("resumed_at").asLong()).isEqualTo(lastVersion);
        assertThat(resumed.get("last").get("version").asLong()).isGreaterThan(lastVersion);
        awaitNoThreadsLeftBut(before);
    }

    @Test
    void rejectsAnUnknownAlgorithmNamingTheFlag() {
        CommandRun run = CommandRun.of("demo", "--algo", "sgd", "--port", "0");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--algo sgd").contains("ppo");
    }

    @Test
    void rejectsAPromptRateOutOfRangeNamingTheFlagAndTheFix() {
        for (String rate : List.of("0", "-3", "NaN", "5000")) {
            CommandRun run = CommandRun.of("demo", "--prompt-rate", rate, "--port", "0");
            assertThat(run.exitCode()).as(rate).isEqualTo(2);
            assertThat(run.err()).as(rate).contains("--prompt-rate " + Double.parseDouble(rate)).contains("(0, 1000]")
                    .contains("e.g. --prompt-rate 24");
        }
        assertThat(DemoSettings.defaults().withPromptRate(24).promptRate()).isEqualTo(24);
    }

    @Test
    void readsDurationsTheWayPeopleWriteThem() {
        assertThat(DemoDuration.parse("8m")).isEqualTo(Duration.ofMinutes(8));
        assertThat(DemoDuration.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(DemoDuration.parse("PT8M")).isEqualTo(Duration.ofMinutes(8));
        CommandRun run = CommandRun.of("demo", "--duration", "eight", "--port", "0");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("8m, 90s");
    }

    private static CommandRun demo(DemoSettings settings, Path data, Path report) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new DemoCommand(settings));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("--algo", "grpo", "--duration", "6m", "--port", "0", "--seed", "3",
                "--data-dir", data.toString(), "--report", report.toString());
        return new CommandRun(code, out.toString(), err.toString());
    }

    private static Set<Thread> liveNonDaemonThreads() {
        // Awaitility's own poller is the one thread the check itself starts.
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && !t.isDaemon())
                .filter(t -> !t.getName().startsWith("awaitility")).collect(Collectors.toSet());
    }

    private static void awaitNoThreadsLeftBut(Set<Thread> before) {
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(liveNonDaemonThreads().stream()
                .filter(t -> !before.contains(t)).map(Thread::getName).toList()).as("non-daemon threads left running")
                .isEmpty());
    }
}
