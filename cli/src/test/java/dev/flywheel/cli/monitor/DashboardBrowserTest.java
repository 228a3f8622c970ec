package dev.flywheel.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.monitor.Monitor;
import dev.flywheel.monitor.MonitorConfig;
import dev.flywheel.monitor.dashboard.DashboardSeries;
import dev.flywheel.monitor.lag.LagConfig;
import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.runtime.embedded.EmbeddedKafkaExtension;
import dev.flywheel.runtime.http.EndpointAddress;
import dev.flywheel.runtime.http.ServiceMetrics;
import dev.flywheel.runtime.topics.Topics;
import dev.flywheel.scorer.metrics.ScorerMetrics;
import dev.flywheel.generator.metrics.GeneratorMetrics;
import io.micrometer.core.instrument.Counter;
import dev.flywheel.schemas.MetricPoint;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Must-shows 3 and 4 of the monitor: headless Chromium opens the dashboard of a running short pipeline, waits for the
 * charts to fill, and checks what it shows against /api/state, /metrics and fw.metrics itself; /metrics of the JVM
 * carries flywheel_ series of every component running in it.
 */
class DashboardBrowserTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.singleNode();

    private static final Duration PATIENCE = Duration.ofMinutes(5);
    private static final int UNREAD_PROMPTS = 7;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void topics() {
        try (Admin admin = Admin.create(KafkaSettings.of(KAFKA.bootstrapServers()).adminProperties())) {
            Topics.defaults().createAll(admin);
        }
    }

    @Test
    void theDashboardOfARunningPipelineShowsWhatTheMetricsSay(@TempDir Path dir) throws Exception {
        HeadlessChromium.assumeInstalled();
        KafkaSettings kafka = KafkaSettings.of(KAFKA.bootstrapServers());
        // One registry for the JVM, as in `flywheel demo`: every component's meters on one /metrics.
        PrometheusMeterRegistry registry = ServiceMetrics.prometheus("demo");
        MonitorConfig config = MonitorConfig.listeningOn(EndpointAddress.loopback(0))
                .withLag(LagConfig.defaults().withInterval(Duration.ofSeconds(1)));
        try (ShortPipeline pipeline = ShortPipeline.start(kafka, dir.resolve("models"), registry);
             Monitor monitor = Monitor.start(kafka, config, registry)) {
            ChromeDriver browser = HeadlessChromium.open(dir.resolve("chromium"));
            try {
                browser.get(monitor.uri().toString());
                DashboardPage page = new DashboardPage(browser);
                page.awaitUntil(PATIENCE, "scorer windows of reward, KL and judge rates", p ->
                        p.pointsOf("chart-reward") >= 4 && p.pointsOf("chart-kl") >= 4 && p.pointsOf("chart-judge") >= 4
                                && p.pointsOf("chart-eval") == 1);

                pipeline.publishPolicy(1, 0L, "ppo");
                page.awaitUntil(PATIENCE, "policy v1 and a scorer window of it", p ->
                        p.text("version-count").equals("2") && p.text("latest-reward-detail").startsWith("policy v1")
                                && p.pointsOf("chart-reward") >= 8);

                pipeline.stopTraffic(PATIENCE);
                pipeline.sendUnreadPrompts(UNREAD_PROMPTS);
                // Quiet: every rollout scored, the generator UNREAD_PROMPTS behind, every metric point on the page.
                await().atMost(PATIENCE).until(() -> total(registry, ScorerMetrics.SCORED)
                        >= total(registry, GeneratorMetrics.ROLLOUTS));
                page.awaitUntil(PATIENCE, "the generator's group " + UNREAD_PROMPTS + " records behind", p ->
                        p.lagOf(ShortPipeline.GENERATOR_GROUP).equals(Integer.toString(UNREAD_PROMPTS)));
                page.awaitUntil(PATIENCE, "every point of the metrics topic", p -> Long.parseLong(p.text("points-read"))
                        == MetricsTopic.readAll(kafka, Topics.defaults().metrics().name()).size());

                assertPageMatchesStateAndMetrics(page, monitor, kafka, pipeline);
                saveScreenshot(browser);
            } finally {
                browser.quit();
            }
        } finally {
            registry.close();
        }
    }

    private void assertPageMatchesStateAndMetrics(DashboardPage page, Monitor monitor, KafkaSettings kafka,
                                                  ShortPipeline pipeline) throws Exception {
        JsonNode state = json.readTree(get(monitor.uri().resolve("/api/state")));
        String metrics = get(monitor.uri().resolve("/metrics"));

        // Lag: the page's row, the state and the Prometheus gauges all hold the unread prompts, and nothing else.
        assertThat(page.lagOf(ShortPipeline.GENERATOR_GROUP)).isEqualTo(Integer.toString(UNREAD_PROMPTS));
        assertThat(groupLag(state, ShortPipeline.GENERATOR_GROUP)).isEqualTo(UNREAD_PROMPTS);
        assertThat(sumOf(metrics, "flywheel_monitor_lag_records", ShortPipeline.GENERATOR_GROUP))
                .isEqualTo(UNREAD_PROMPTS);
        assertThat(page.statusOf(ShortPipeline.GENERATOR_GROUP)).isNotEmpty();

        // Versions: two published, the newest v1; the dashboard's gauge agrees.
        assertThat(page.text("version-count")).isEqualTo("2");
        assertThat(page.text("latest-version")).isEqualTo("v1");
        assertThat(gauge(metrics, "flywheel_monitor_dashboard_versions")).isEqualTo(2.0);

        // The latest scorer window: the page shows, rounded, what fw.metrics holds.
        List<MetricPoint> points = MetricsTopic.readAll(kafka, Topics.defaults().metrics().name());
        MetricPoint reward = MetricsTopic.newest(points, DashboardSeries.REWARD).orElseThrow();
        assertThat(Double.parseDouble(page.text("latest-reward"))).isCloseTo(reward.getValue(), within(5e-5));
        assertThat(state.path("latest").path(DashboardSeries.REWARD).path("value").asDouble())
                .isEqualTo(reward.getValue());
        assertThat(page.text("latest-reward-detail")).startsWith("policy v" + reward.getPolicyVersion());
        MetricPoint kl = MetricsTopic.newest(points, DashboardSeries.KL).orElseThrow();
        assertThat(Double.parseDouble(page.text("latest-kl"))).isCloseTo(kl.getValue(), within(5e-5));
        double rates = 0;
        for (String rate : List.of("right", "refuse", "wrong")) {
            MetricPoint point = MetricsTopic.newest(points, "scorer.judge." + rate + "_rate").orElseThrow();
            double shown = percent(page.text("latest-" + rate + "-rate"));
            assertThat(shown).as(rate).isCloseTo(point.getValue(), within(5e-4));
            rates += point.getValue();
        }
        assertThat(rates).isCloseTo(1.0, within(1e-9));

        // Evaluation per version, from the versions' own metrics.
        assertThat(page.pointsOf("chart-eval")).isEqualTo(2);
        assertThat(page.text("latest-eval-in")).contains(String.format(Locale.ROOT, "right %.1f%%",
                100 * pipeline.evalMetrics().get("eval.in.right")));
        assertThat(page.text("latest-eval-out")).contains(String.format(Locale.ROOT, "wrong %.1f%%",
                100 * pipeline.evalMetrics().get("eval.out.wrong")));

        // Alarms and points read: the page counts what the state holds.
        assertThat(page.text("alarm-count")).isEqualTo(Integer.toString(state.path("alarms").size()));
        assertThat(Long.parseLong(page.text("points-read"))).isEqualTo(state.path("pointsRead").asLong())
                .isEqualTo(points.size());
        assertThat(page.text("connection")).isEqualTo("● live");

        // Must-show 4: every component running in this JVM has flywheel_ series on its /metrics.
        assertThat(metrics).contains("flywheel_generator_").contains("flywheel_scorer_").contains("flywheel_monitor_");
    }

    private static double total(PrometheusMeterRegistry registry, String counter) {
        return registry.find(counter).counters().stream().mapToDouble(Counter::count).sum();
    }

    private static double percent(String shown) {
        assertThat(shown).endsWith("%");
        return Double.parseDouble(shown.substring(0, shown.length() - 1)) / 100;
    }

    private static long groupLag(JsonNode state, String group) {
        for (JsonNode g : state.path("lag").path("groups")) {
            if (g.path("group").asText().equals(group)) {
                return g.path("lagRecords").asLong();
            }
        }
        throw new AssertionError("no group " + group + " in " + state.path("lag"));
    }

    /** The sum of every sample of {@code name} tagged with {@code group}. */
    private static double sumOf(String metrics, String name, String group) {
        Matcher samples = Pattern.compile("(?m)^" + name + "\\{([^}]*)} (\\S+)$").matcher(metrics);
        double sum = 0;
        int found = 0;
        while (samples.find()) {
            if (samples.group(1).contains("group=\"" + group + "\"")) {
                sum += Double.parseDouble(samples.group(2));
                found++;
            }
        }
        assertThat(found).as(name + " samples of " + group).isPositive();
        return sum;
    }

    private static double gauge(String metrics, String name) {
        Matcher sample = Pattern.compile("(?m)^" + name + "\\{[^}]*} (\\S+)$").matcher(metrics);
        assertThat(sample.find()).as(name + " on /metrics").isTrue();
        return Double.parseDouble(sample.group(1));
    }

    private String get(URI uri) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(uri.toString()).isEqualTo(200);
        return response.body();
    }

    /** Saves the page under the module's build folder (target…/dashboard/dashboard.png) for a person to look at. */
    private static void saveScreenshot(ChromeDriver browser) throws Exception {
        Path testClasses = Path.of(DashboardBrowserTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path file = testClasses.getParent().resolve("dashboard").resolve("dashboard.png");
        Files.createDirectories(file.getParent());
        Files.write(file, browser.getScreenshotAs(OutputType.BYTES));
    }
}
