package dev.flywheel.monitor.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.flywheel.monitor.Monitor;
import dev.flywheel.monitor.MonitorConfig;
import dev.flywheel.monitor.lag.LagConfig;
import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.runtime.embedded.EmbeddedKafkaExtension;
import dev.flywheel.runtime.http.EndpointAddress;
import dev.flywheel.runtime.http.ServiceMetrics;
import dev.flywheel.runtime.topics.Topics;
import dev.flywheel.schemas.MetricPoint;
import dev.flywheel.schemas.PolicyVersion;
import dev.flywheel.schemas.serde.AvroSerdes;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MonitorServiceTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.singleNode();

    private static final Topics TOPICS = Topics.withPrefix("mst.");
    private static final String GROUP = "mst-generator";

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void topicsWithHistory() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
            TOPICS.createAll(admin);
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            send(producer, Points.stat(DashboardSeries.REWARD, 0, 10, 0.20));
            send(producer, Points.stat(DashboardSeries.REWARD, 1, 20, 0.35));
            send(producer, Points.stat(DashboardSeries.KL, 1, 20, 1.25));
            send(producer, Points.stat(DashboardSeries.RIGHT_RATE, 1, 20, 0.5));
            send(producer, Points.alarm("monitor.alarm.psi_warn@scorer.kl.mean@v1@20", "psi_warn",
                    DashboardSeries.KL, 1, 20, 0.14));
            for (long v = 0; v < 2; v++) {
                PolicyVersion version = Points.policy(v, 0.9 + v / 20.0, 0.8 - v / 10.0);
                producer.send(new ProducerRecord<>(TOPICS.policyVersions().name(), "policy",
                        AvroSerdes.policyVersion().serializer().serialize(TOPICS.policyVersions().name(), version))).get();
            }
            // Five prompts, of which the generator's group has committed two: a lag of three records.
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(TOPICS.prompts().name(), 0, "p-" + i, new byte[] {1})).get();
            }
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
            admin.alterConsumerGroupOffsets(GROUP, Map.of(new TopicPartition(TOPICS.prompts().name(), 0),
                    new OffsetAndMetadata(2))).all().get(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void servesTheHistoryVersionsLagAndAlarmsOnTheDashboardAndTheMetricsEndpoint() throws Exception {
        MonitorConfig config = MonitorConfig.listeningOn(EndpointAddress.loopback(0)).withTopics(TOPICS)
                .withLag(LagConfig.defaults().withInterval(Duration.ofMillis(500)));
        PrometheusMeterRegistry registry = ServiceMetrics.prometheus("monitor");
        try (Monitor monitor = Monitor.start(KafkaSettings.of(KAFKA.bootstrapServers()), config, registry)) {
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
                JsonNode state = json.readTree(get(monitor.uri().resolve("/api/state")).body());
                assertThat(state.path("pointsRead").asLong()).isEqualTo(5);
                assertThat(lagOf(state).path("lagRecords").asLong()).isEqualTo(3);
            });
            JsonNode state = json.readTree(get(monitor.uri().resolve("/api/state")).body());
            assertThat(state.path("series").path(DashboardSeries.REWARD)).hasSize(2);
            assertThat(state.path("latest").path(DashboardSeries.REWARD).path("value").asDouble()).isCloseTo(0.35, within(1e-12));
            assertThat(state.path("latest").path(DashboardSeries.KL).path("version").asLong()).isEqualTo(1);
            assertThat(state.path("versions")).hasSize(2);
            assertThat(state.path("versions").get(1).path("metrics").path("eval.in.right").asDouble()).isCloseTo(0.95, within(1e-12));
            assertThat(state.path("alarms")).singleElement().satisfies(alarm -> {
                assertThat(alarm.path("kind").asText()).isEqualTo("PSI_WARN");
                assertThat(alarm.path("series").asText()).isEqualTo(DashboardSeries.KL);
                assertThat(alarm.path("value").asDouble()).isCloseTo(0.14, within(1e-12));
            });
            assertThat(lagOf(state).path("partitions").get(0).path("committedOffset").asLong()).isEqualTo(2);

            String metrics = get(monitor.uri().resolve("/metrics")).body();
            assertThat(metrics).containsPattern("flywheel_monitor_lag_records\\{[^}]*group=\"" + GROUP + "\"[^}]*} 3\\.0")
                    .contains("flywheel_monitor_dashboard_points_total{component=\"monitor\"} 5.0")
                    .contains("flywheel_monitor_dashboard_versions{component=\"monitor\"} 2.0");
            HttpResponse<String> health = get(monitor.uri().resolve("/health"));
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"").contains("\"versions\":\"2\"");
            assertThat(get(monitor.uri()).body()).contains("<title>Flywheel monitor</title>");
        } finally {
            registry.close();
        }
    }

    @Test
    void refusesToStartWhenTheTopicsDoNotExistNamingTheFix() {
        MonitorConfig config = MonitorConfig.listeningOn(EndpointAddress.loopback(0)).withTopics(Topics.withPrefix("absent."));
        PrometheusMeterRegistry registry = ServiceMetrics.prometheus("monitor");
        assertThatThrownBy(() -> Monitor.start(KafkaSettings.of(KAFKA.bootstrapServers()), config, registry))
                .hasMessageContaining("absent.policy-versions does not exist")
                .hasMessageContaining("flywheel topics create");
        registry.close();
    }

    private static JsonNode lagOf(JsonNode state) {
        for (JsonNode group : state.path("lag").path("groups")) {
            if (group.path("group").asText().equals(GROUP)) {
                return group;
            }
        }
        return MissingNode.getInstance();
    }

    private static void send(KafkaProducer<String, byte[]> producer, MetricPoint point) throws Exception {
        producer.send(new ProducerRecord<>(TOPICS.metrics().name(), point.getSeries(),
                AvroSerdes.metricPoint().serializer().serialize(TOPICS.metrics().name(), point))).get();
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
