package dev.flywheel.monitor.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dashboard's HTTP routes: the page at {@code /}, its script and style under {@code /assets/}, and the state as
 * JSON at {@code /api/state}. The page polls the state; the endpoint they are mounted on applies authentication.
 *
 * <pre>{@code DashboardRoutes.serving(state).handlers().forEach(endpointBuilder::route);}</pre>
 */
public final class DashboardRoutes {

    /** Path of the JSON state the page polls. */
    public static final String STATE_PATH = "/api/state";

    private static final String RESOURCES = "/dev/flywheel/monitor/dashboard/";
    private static final String HTML = "text/html; charset=utf-8";
    private static final Map<String, String> ASSETS = Map.of(
            "/assets/dashboard.js", "application/javascript; charset=utf-8",
            "/assets/dashboard.css", "text/css; charset=utf-8");
    // No third-party origin may run code or be fetched: the page is self-contained by design.
    private static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

    private final DashboardState state;
    private final StateJson json = new StateJson();
    private final String page;
    private final Map<String, byte[]> assets = new LinkedHashMap<>();

    private DashboardRoutes(DashboardState state) {
        this.state = state;
        this.page = new String(resource("index.html"), StandardCharsets.UTF_8);
        ASSETS.keySet().forEach(path -> assets.put(path, resource(path.substring("/assets/".length()))));
    }

    /** Routes serving {@code state}. */
    public static DashboardRoutes serving(DashboardState state) {
        return new DashboardRoutes(state);
    }

    /** Path → handler, to mount on a service endpoint. */
    public Map<String, HttpHandler> handlers() {
        Map<String, HttpHandler> routes = new LinkedHashMap<>();
        routes.put("/", this::page);
        routes.put(STATE_PATH, this::state);
        return routes;
    }

    private void page(HttpExchange exchange) throws IOException {
        if (!readOnly(exchange)) {
            return;
        }
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/") || path.equals("/index.html")) {
            String tokenQuery = tokenOf(exchange).map(t -> "?token=" + URLEncoder.encode(t, StandardCharsets.UTF_8))
                    .orElse("");
            // The browser cannot add a bearer header to <script src>, so a token given in the page's URL is handed on
            // to the page's own asset links (HTML-safe: URL-encoding leaves no quote or angle bracket).
            send(exchange, 200, HTML, page.replace("{{query}}", tokenQuery).getBytes(StandardCharsets.UTF_8));
        } else if (assets.containsKey(path)) {
            send(exchange, 200, ASSETS.get(path), assets.get(path));
        } else {
            send(exchange, 404, "text/plain; charset=utf-8",
                    ("no such page: " + path + " (the dashboard is at /)\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private void state(HttpExchange exchange) throws IOException {
        if (readOnly(exchange)) {
            send(exchange, 200, "application/json", json.write(state.snapshot()));
        }
    }

    private static boolean readOnly(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (method.equals("GET") || method.equals("HEAD")) {
            return true;
        }
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, "text/plain; charset=utf-8",
                (method + " is not allowed here; the dashboard is read-only (GET)\n").getBytes(StandardCharsets.UTF_8));
        return false;
    }

    private static java.util.Optional<String> tokenOf(HttpExchange exchange) {
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null) {
            return java.util.Optional.empty();
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("token=")) {
                return java.util.Optional.of(URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8));
            }
        }
        return java.util.Optional.empty();
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Content-Security-Policy", POLICY);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }

    private static byte[] resource(String name) {
        try (InputStream in = DashboardRoutes.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard resource " + RESOURCES + name
                        + " is missing from the classpath; rebuild flywheel-monitor");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dashboard resource " + RESOURCES + name, e);
        }
    }
}
