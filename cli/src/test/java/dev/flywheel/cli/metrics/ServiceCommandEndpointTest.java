package dev.flywheel.cli.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.flywheel.cli.CommandRun;
import dev.flywheel.cli.Flywheel;
import dev.flywheel.core.bootstrap.Bootstrap;
import dev.flywheel.core.bootstrap.BootstrapListener;
import dev.flywheel.core.bootstrap.BootstrapOptions;
import dev.flywheel.runtime.embedded.EmbeddedKafkaExtension;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Service commands serve Prometheus /metrics and /health while they run, as a scraper would fetch them. */
class ServiceCommandEndpointTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.singleNode();

    @TempDir
    static Path models;

    private static final Pattern METRICS_LINE = Pattern.compile("metrics: (http://\\S+/metrics)");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

    @BeforeAll
    static void topicsAndModels() {
        CommandRun run = CommandRun.of("topics", "create", "--bootstrap-servers", KAFKA.bootstrapServers());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        Bootstrap.run(BootstrapOptions.quick(models, 3), BootstrapListener.silent());
    }

    @Test
    void scorerOnAnEphemeralPortServesItsMetricsAndReportsHealthyOnceStreamsRun(@TempDir Path state) throws Exception {
        RunningCommand scorer = RunningCommand.start("scorer", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--model-store", models.toString(), "--state-dir", state.toString(),
                "--application-id", "cli-metrics-scorer", "--metrics-port", "0");
        URI metrics = scorer.awaitMetricsUri();
        assertThat(metrics.getHost()).isEqualTo("127.0.0.1");
        assertThat(metrics.getPort()).isPositive().isNotEqualTo(9402);

        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            HttpResponse<String> health = get(metrics.resolve("/health"));
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"status\":\"UP\",\"streams\":\"RUNNING\"}");
        });
        HttpResponse<String> scrape = get(metrics);
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body())
                .contains("flywheel_scorer_version{component=\"scorer\",model=\"reward-model\"} 0.0")
                .contains("flywheel_scorer_scored_total{component=\"scorer\"} 0.0")
                .contains("flywheel_scorer_batch_latency_seconds_count{component=\"scorer\"}")
                .contains("jvm_memory_used_bytes{")
                .containsPattern("(?m)^kafka_stream_\\w+\\{")
                .containsPattern("(?m)^kafka_consumer_\\w+\\{");

        scorer.stop();
        assertThat(scorer.output()).containsOnlyOnce("metrics: " + metrics);
        assertThatThrownBy(() -> get(metrics)).isInstanceOf(IOException.class);
    }

    @Test
    void feedbackIngestServesItsOwnSeriesAndNoEndpointWithPortMinusOne(@TempDir Path state, @TempDir Path other)
            throws Exception {
        RunningCommand ingest = RunningCommand.start("feedback-ingest", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--state-dir", state.toString(), "--application-id", "cli-metrics-feedback", "--metrics-port", "0");
        URI metrics = ingest.awaitMetricsUri();
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() ->
                assertThat(get(metrics).body()).contains(
                        "flywheel_feedback_rater_disagreement{component=\"feedback-ingest\"} 0.0"));
        ingest.stop();

        CommandRun quiet = CommandRun.of("feedback-ingest", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--state-dir", other.toString(), "--application-id", "cli-metrics-quiet", "--run-for", "PT2S",
                "--metrics-port", "-1");
        assertThat(quiet.exitCode()).as(quiet.toString()).isZero();
        assertThat(quiet.out()).doesNotContain("metrics:");
    }

    @Test
    void eachServiceDefaultsToItsOwnPortAndRefusesAnOpenEndpointOffLoopback() {
        assertThat(CommandRun.of("generator", "--help").out()).containsPattern("--metrics-port=PORT[\\s\\S]*default: 9401");
        assertThat(CommandRun.of("scorer", "--help").out()).containsPattern("--metrics-port=PORT[\\s\\S]*default: 9402");
        assertThat(CommandRun.of("feedback-ingest", "--help").out())
                .containsPattern("--metrics-port=PORT[\\s\\S]*default: 9403");
        assertThat(CommandRun.of("simulate", "--help").out()).containsPattern("--metrics-port=PORT[\\s\\S]*default: 9405");

        CommandRun open = CommandRun.of("scorer", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--model-store", models.toString(), "--metrics-host", "0.0.0.0");
        assertThat(open.exitCode()).isEqualTo(2);
        assertThat(open.err()).contains("binding to 0.0.0.0 requires --auth-token");

        CommandRun badPort = CommandRun.of("scorer", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--model-store", models.toString(), "--metrics-port", "-5");
        assertThat(badPort.exitCode()).isEqualTo(2);
        assertThat(badPort.err()).contains("--metrics-port must be 1-65535, 0 (any free port) or -1 (off), was -5");
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A {@code flywheel} command running on its own thread, whose output can be read while it runs. */
    private static final class RunningCommand {
        private final StringWriter out = new StringWriter();
        private final StringWriter err = new StringWriter();
        private final AtomicInteger exitCode = new AtomicInteger(Integer.MIN_VALUE);
        private final Thread thread;

        private RunningCommand(String... args) {
            CommandLine cli = Flywheel.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            thread = new Thread(() -> exitCode.set(cli.execute(args)), "flywheel-" + args[0]);
        }

        static RunningCommand start(String... args) {
            RunningCommand command = new RunningCommand(args);
            command.thread.start();
            return command;
        }

        URI awaitMetricsUri() {
            await().atMost(Duration.ofSeconds(120)).until(() -> METRICS_LINE.matcher(out.toString()).find()
                    || !thread.isAlive());
            Matcher matcher = METRICS_LINE.matcher(out.toString());
            assertThat(matcher.find()).as("metrics line in\n%s\n%s", out, err).isTrue();
            return URI.create(matcher.group(1));
        }

        String output() {
            return out.toString();
        }

        /** Interrupts the command's wait and waits for it to close everything it opened. */
        void stop() throws InterruptedException {
            thread.interrupt();
            thread.join(Duration.ofSeconds(120).toMillis());
            assertThat(thread.isAlive()).as("command still running after 120 s").isFalse();
            assertThat(exitCode.get()).as("exit code set").isNotEqualTo(Integer.MIN_VALUE);
        }
    }
}
