package dev.flywheel.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flywheel.cli.CommandRun;
import dev.flywheel.cli.Flywheel;
import dev.flywheel.runtime.embedded.EmbeddedKafkaExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

class MonitorCommandTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.singleNode();

    @BeforeAll
    static void topics() {
        CommandRun run = CommandRun.of("topics", "create", "--bootstrap-servers", KAFKA.bootstrapServers());
        assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    @Test
    void servesTheDashboardMetricsAndHealthUntilRunForEnds() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cli = Flywheel.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cli.execute("monitor",
                "--bootstrap-servers", KAFKA.bootstrapServers(), "--port", "0", "--run-for", "PT20S"));

        Pattern dashboard = Pattern.compile("dashboard: (http://127\\.0\\.0\\.1:\\d+/)");
        await().atMost(Duration.ofSeconds(120)).until(() -> dashboard.matcher(out.toString()).find() || exit.isDone());
        Matcher found = dashboard.matcher(out.toString());
        assertThat(found.find()).as(out.toString()).isTrue();
        URI uri = URI.create(found.group(1));
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>Flywheel monitor</title>");
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(uri.resolve("/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.body()).contains("\"status\":\"UP\"");
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(uri.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).contains("flywheel_monitor_dashboard_points_total{component=\"monitor\"}");

        assertThat(exit.get()).as(out.toString()).isZero();
        assertThat(out.toString()).contains("metrics: " + uri.resolve("/metrics")).contains("monitor stopped:");
    }

    @Test
    void refusesANonLoopbackAddressWithoutATokenNamingTheFlag() {
        CommandRun open = CommandRun.of("monitor", "--bootstrap-servers", KAFKA.bootstrapServers(), "--bind", "0.0.0.0",
                "--port", "0", "--run-for", "PT1S");
        assertThat(open.exitCode()).as(open.toString()).isEqualTo(2);
        assertThat(open.err()).contains("binding to 0.0.0.0 requires --auth-token");
    }

    @Test
    void namesThePortWhenItIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CommandRun busy = CommandRun.of("monitor", "--bootstrap-servers", KAFKA.bootstrapServers(),
                    "--port", Integer.toString(taken.getLocalPort()), "--run-for", "PT1S");
            assertThat(busy.exitCode()).as(busy.toString()).isEqualTo(2);
            assertThat(busy.err()).contains("--port " + taken.getLocalPort());
        }
    }

    @Test
    void rejectsBadSettingsNamingTheFlag() {
        CommandRun history = CommandRun.of("monitor", "--history", "1");
        assertThat(history.exitCode()).isEqualTo(2);
        assertThat(history.err()).contains("--history must be at least 2");

        CommandRun interval = CommandRun.of("monitor", "--lag-interval", "PT0S");
        assertThat(interval.exitCode()).isEqualTo(2);
        assertThat(interval.err()).contains("--lag-interval must be a positive duration");

        CommandRun psi = CommandRun.of("monitor", "--psi-warn", "0.3", "--psi-alarm", "0.2");
        assertThat(psi.exitCode()).isEqualTo(2);
        assertThat(psi.err()).contains("--psi-warn/--psi-alarm/--kl-bound").contains("0 < warn <= alarm");

        CommandRun runFor = CommandRun.of("monitor", "--run-for", "PT0S");
        assertThat(runFor.exitCode()).isEqualTo(2);
        assertThat(runFor.err()).contains("--run-for must be a positive duration");
    }
}
