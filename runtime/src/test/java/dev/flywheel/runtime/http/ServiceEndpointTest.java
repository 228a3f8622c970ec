package dev.flywheel.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServiceEndpointTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private PrometheusMeterRegistry registry;

    @BeforeEach
    void registry() {
        registry = ServiceMetrics.prometheus("endpoint-test");
    }

    @AfterEach
    void closeRegistry() {
        registry.close();
    }

    @Test
    void servesRegisteredCountersInPrometheusTextWithTheComponentTag() throws Exception {
        Counter.builder("flywheel.endpoint.requests.handled").register(registry).increment(3);
        try (ServiceEndpoint endpoint = ServiceEndpoint.on(EndpointAddress.loopback(0)).metrics(registry).start()) {
            HttpResponse<String> scrape = get(endpoint.uri().resolve("/metrics"), Map.of());

            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.headers().firstValue("Content-Type")).contains(ServiceEndpoint.PROMETHEUS_TEXT);
            assertThat(scrape.body()).contains("# TYPE flywheel_endpoint_requests_handled_total counter")
                    .contains("flywheel_endpoint_requests_handled_total{component=\"endpoint-test\"} 3.0");
            // The JVM binders come with every service registry, in base units.
            assertThat(scrape.body()).contains("jvm_memory_used_bytes{").contains("jvm_threads_live_threads{")
                    .contains("process_uptime_seconds{").contains("system_cpu_count{");
        }
    }

    @Test
    void healthAnswers200WhenUpAnd503WithTheReasonWhenDown() throws Exception {
        AtomicBoolean up = new AtomicBoolean(true);
        try (ServiceEndpoint endpoint = ServiceEndpoint.on(EndpointAddress.loopback(0)).metrics(registry)
                .health(() -> up.get() ? Health.up().with("streams", "RUNNING") : Health.down("streams ERROR"))
                .start()) {
            HttpResponse<String> healthy = get(endpoint.uri().resolve("/health"), Map.of());
            assertThat(healthy.statusCode()).isEqualTo(200);
            assertThat(healthy.headers().firstValue("Content-Type")).contains("application/json");
            assertThat(healthy.body()).isEqualTo("{\"status\":\"UP\",\"streams\":\"RUNNING\"}");

            up.set(false);
            HttpResponse<String> sick = get(endpoint.uri().resolve("/health"), Map.of());
            assertThat(sick.statusCode()).isEqualTo(503);
            assertThat(sick.body()).isEqualTo("{\"status\":\"DOWN\",\"reason\":\"streams ERROR\"}");
        }
    }

    @Test
    void aFailingHealthCheckReportsDownRatherThanAnError() throws Exception {
        try (ServiceEndpoint endpoint = ServiceEndpoint.on(EndpointAddress.loopback(0))
                .health(() -> {
                    throw new IllegalStateException("store \"gone\"");
                }).start()) {
            HttpResponse<String> health = get(endpoint.uri().resolve("/health"), Map.of());
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).startsWith("{\"status\":\"DOWN\",\"reason\":\"health check failed: ")
                    .contains("store \\\"gone\\\"");
        }
    }

    @Test
    void tokenProtectedEndpointAnswers401WithoutTheTokenAnd200WithBearerOrQueryToken() throws Exception {
        Counter.builder("flywheel.endpoint.secret.things").register(registry).increment();
        EndpointAddress address = EndpointAddress.loopback(0).withAuthToken("s3cret token");
        try (ServiceEndpoint endpoint = ServiceEndpoint.on(address).metrics(registry)
                .route("/api/echo", exchange -> {
                    byte[] body = "echo".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                }).start()) {
            URI metrics = endpoint.uri().resolve("/metrics");
            HttpResponse<String> anonymous = get(metrics, Map.of());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"flywheel\"");
            assertThat(anonymous.body()).doesNotContain("flywheel_endpoint_secret_things");
            assertThat(get(metrics, Map.of("Authorization", "Bearer wrong")).statusCode()).isEqualTo(401);
            assertThat(get(endpoint.uri().resolve("/api/echo"), Map.of()).statusCode()).isEqualTo(401);
            assertThat(get(endpoint.uri().resolve("/health"), Map.of()).statusCode()).isEqualTo(401);
            assertThat(get(endpoint.uri().resolve("/nowhere"), Map.of()).statusCode()).isEqualTo(401);

            HttpResponse<String> bearer = get(metrics, Map.of("Authorization", "Bearer s3cret token"));
            assertThat(bearer.statusCode()).isEqualTo(200);
            assertThat(bearer.body()).contains("flywheel_endpoint_secret_things_total{component=\"endpoint-test\"} 1.0");
            HttpResponse<String> query = get(endpoint.uri().resolve("/metrics?token=s3cret%20token"), Map.of());
            assertThat(query.statusCode()).isEqualTo(200);
            HttpResponse<String> route = get(endpoint.uri().resolve("/api/echo?token=s3cret%20token"), Map.of());
            assertThat(route.statusCode()).isEqualTo(200);
            assertThat(route.body()).isEqualTo("echo");
        }
    }

    @Test
    void refusesANonLoopbackHostWithoutATokenNamingTheFlag() {
        assertThatThrownBy(() -> new EndpointAddress("0.0.0.0", 9401, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("binding to 0.0.0.0 requires --auth-token");
        assertThat(new EndpointAddress("0.0.0.0", 9401, Optional.of("t")).authToken()).contains("t");
        assertThat(new EndpointAddress("localhost", 9401, Optional.empty()).host()).isEqualTo("localhost");
        assertThatThrownBy(() -> EndpointAddress.loopback(70_000)).hasMessageContaining("port 70000 is out of range");
        assertThatThrownBy(() -> EndpointAddress.loopback(0).withAuthToken(" ")).hasMessageContaining("--auth-token is blank");
    }

    @Test
    void portZeroListensOnAnEphemeralPortAndABusyPortIsNamed() throws Exception {
        try (ServiceEndpoint first = ServiceEndpoint.on(EndpointAddress.loopback(0)).start()) {
            assertThat(first.port()).isPositive();
            assertThat(first.uri()).isEqualTo(URI.create("http://127.0.0.1:" + first.port() + "/"));
            assertThat(get(first.uri().resolve("/health"), Map.of()).statusCode()).isEqualTo(200);

            assertThatThrownBy(() -> ServiceEndpoint.on(EndpointAddress.loopback(first.port())).start())
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("port " + first.port());
        }
    }

    @Test
    void unknownPathsAre404AndOtherMethodsAre405() throws Exception {
        try (ServiceEndpoint endpoint = ServiceEndpoint.on(EndpointAddress.loopback(0)).metrics(registry).start()) {
            assertThat(get(endpoint.uri().resolve("/metricsx"), Map.of()).statusCode()).isEqualTo(404);
            assertThat(get(endpoint.uri().resolve("/"), Map.of()).statusCode()).isEqualTo(404);
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(endpoint.uri().resolve("/metrics"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
        }
    }

    @Test
    void aRegistryIsGivenOnceAndRoutesMayNotShadowTheBuiltInOnes() {
        ServiceEndpoint.Builder builder = ServiceEndpoint.on(EndpointAddress.loopback(0)).metrics(registry);
        assertThatThrownBy(() -> builder.metrics(registry)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already given a registry");
        assertThatThrownBy(() -> builder.route("/health", exchange -> { })).hasMessageContaining("already served");
        assertThatThrownBy(() -> builder.route("api", exchange -> { })).hasMessageContaining("must start with '/'");
    }

    @Test
    void closingStopsListening() {
        ServiceEndpoint endpoint = ServiceEndpoint.on(EndpointAddress.loopback(0)).start();
        URI health = endpoint.uri().resolve("/health");
        endpoint.close();
        endpoint.close();
        assertThatThrownBy(() -> get(health, Map.of())).isInstanceOf(IOException.class);
    }

    private HttpResponse<String> get(URI uri, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
