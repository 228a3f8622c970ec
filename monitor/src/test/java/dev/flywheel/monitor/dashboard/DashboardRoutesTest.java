package dev.flywheel.monitor.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.runtime.http.EndpointAddress;
import dev.flywheel.runtime.http.ServiceEndpoint;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class DashboardRoutesTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void servesThePageItsAssetsAndTheStateAsJson() throws Exception {
        DashboardState state = DashboardState.withoutMonitors(10);
        state.accept(Points.stat(DashboardSeries.REWARD, 1, 10, 0.25));
        state.accept(Points.stat(DashboardSeries.REWARD, 1, 20, 0.375));
        state.accept(Points.policy(1, 0.96, 0.7));
        try (ServiceEndpoint endpoint = mount(state, EndpointAddress.loopback(0))) {
            HttpResponse<String> page = get(endpoint.uri().resolve("/"));
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(page.body()).contains("<title>Flywheel monitor</title>")
                    .contains("src=\"/assets/dashboard.js\"").contains("id=\"latest-reward\"").doesNotContain("{{");

            HttpResponse<String> script = get(endpoint.uri().resolve("/assets/dashboard.js"));
            assertThat(script.statusCode()).isEqualTo(200);
            assertThat(script.headers().firstValue("Content-Type")).hasValue("application/javascript; charset=utf-8");
            // Self-contained: the only absolute URL in the script is the SVG namespace, which is never fetched.
            assertThat(script.body()).contains("/api/state").doesNotContainPattern("https?://(?!www\\.w3\\.org/2000/svg)");
            assertThat(get(endpoint.uri().resolve("/assets/dashboard.css")).body()).contains(".chart");

            HttpResponse<String> api = get(endpoint.uri().resolve(DashboardRoutes.STATE_PATH));
            assertThat(api.statusCode()).isEqualTo(200);
            assertThat(api.headers().firstValue("Content-Type")).hasValue("application/json");
            JsonNode json = new ObjectMapper().readTree(api.body());
            assertThat(json.path("series").path(DashboardSeries.REWARD)).hasSize(2);
            assertThat(json.path("latest").path(DashboardSeries.REWARD).path("value").asDouble())
                    .isCloseTo(0.375, within(1e-12));
            assertThat(json.path("latest").path(DashboardSeries.REWARD).path("version").asLong()).isEqualTo(1);
            assertThat(json.path("versions").get(0).path("metrics").path("eval.out.wrong").asDouble())
                    .isCloseTo(0.7, within(1e-12));
            assertThat(json.path("lag").path("groups")).isEmpty();
            assertThat(json.path("pointsRead").asLong()).isEqualTo(2);
        }
    }

    @Test
    void answersUnknownPagesWith404AndWritesWith405() throws Exception {
        try (ServiceEndpoint endpoint = mount(DashboardState.withoutMonitors(10), EndpointAddress.loopback(0))) {
            HttpResponse<String> missing = get(endpoint.uri().resolve("/assets/../secret.txt"));
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(get(endpoint.uri().resolve("/nothing-here")).body()).contains("the dashboard is at /");

            HttpResponse<String> post = http.send(HttpRequest.newBuilder(endpoint.uri().resolve(DashboardRoutes.STATE_PATH))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        }
    }

    @Test
    void aTokenProtectedDashboardHandsTheTokenFromItsUrlToItsAssets() throws Exception {
        EndpointAddress guarded = EndpointAddress.loopback(0).withAuthToken("s3cret/+");
        try (ServiceEndpoint endpoint = mount(DashboardState.withoutMonitors(10), guarded)) {
            assertThat(get(endpoint.uri().resolve("/")).statusCode()).isEqualTo(401);
            assertThat(get(endpoint.uri().resolve(DashboardRoutes.STATE_PATH)).statusCode()).isEqualTo(401);

            HttpResponse<String> page = get(endpoint.uri().resolve("/?token=s3cret%2F%2B"));
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("src=\"/assets/dashboard.js?token=s3cret%2F%2B\"")
                    .contains("href=\"/assets/dashboard.css?token=s3cret%2F%2B\"");
            assertThat(get(endpoint.uri().resolve("/assets/dashboard.js?token=s3cret%2F%2B")).statusCode()).isEqualTo(200);
            assertThat(get(endpoint.uri().resolve("/api/state?token=s3cret%2F%2B")).statusCode()).isEqualTo(200);
        }
    }

    private static ServiceEndpoint mount(DashboardState state, EndpointAddress address) {
        ServiceEndpoint.Builder builder = ServiceEndpoint.on(address);
        DashboardRoutes.serving(state).handlers().forEach(builder::route);
        return builder.start();
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
