package dev.flywheel.runtime.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's HTTP endpoint: /metrics (Prometheus text), /health (JSON), and any extra routes.
 *
 * <pre>{@code try (ServiceEndpoint endpoint = ServiceEndpoint.on(EndpointAddress.loopback(9402))
 *         .metrics(registry).health(() -> Health.up()).start()) {
 *     System.out.println("metrics: " + endpoint.uri().resolve("/metrics"));
 * }}</pre>
 *
 * <p>{@code /health} answers 200 when the service is up and 503 when it is down, so a load balancer or an
 * orchestrator's probe can act on the status code alone. When the address has a token, every route (unknown paths
 * too) answers 401 unless the request carries it.
 */
public final class ServiceEndpoint implements AutoCloseable {
    /** Path of the Prometheus scrape. */
    public static final String METRICS_PATH = "/metrics";
    /** Path of the health check. */
    public static final String HEALTH_PATH = "/health";
    /** Content type of the Prometheus text exposition format that {@code /metrics} serves. */
    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final Logger LOG = LoggerFactory.getLogger(ServiceEndpoint.class);
    private static final int HANDLER_THREADS = 2;

    private final HttpServer server;
    private final ExecutorService executor;
    private final EndpointAddress address;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ServiceEndpoint(HttpServer server, ExecutorService executor, EndpointAddress address) {
        this.server = server;
        this.executor = executor;
        this.address = address;
    }

    /** Starts describing an endpoint listening at {@code address}. */
    public static Builder on(EndpointAddress address) {
        return new Builder(address);
    }

    /** The port listened on: the one asked for, or the one picked for port 0. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://host:port/}; resolve a route against it, e.g. {@code uri().resolve("/metrics")}. */
    public URI uri() {
        String host = address.host().contains(":") ? "[" + address.host() + "]" : address.host();
        return URI.create("http://" + host + ":" + port() + "/");
    }

    /** The address this endpoint was asked to listen at (port as given, 0 included). */
    public EndpointAddress address() {
        return address;
    }

    /** Stops listening at once and ends the handler threads. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    /** What an endpoint serves; {@link #start()} binds it. */
    public static final class Builder {
        private final EndpointAddress address;
        private final Map<String, HttpHandler> routes = new LinkedHashMap<>();
        private PrometheusMeterRegistry registry;
        private Supplier<Health> health = Health::up;

        private Builder(EndpointAddress address) {
            this.address = Objects.requireNonNull(address, "address");
        }

        /** Serves this registry's scrape at {@code /metrics}; may be called once. */
        public Builder metrics(PrometheusMeterRegistry meters) {
            Objects.requireNonNull(meters, "meters");
            if (registry != null) {
                throw new IllegalStateException("metrics(...) was already given a registry: an endpoint serves one "
                        + "registry; register every meter of the service in it");
            }
            registry = meters;
            return this;
        }

        /** Answers {@code /health} with this check, asked on every request (default: always up). */
        public Builder health(Supplier<Health> check) {
            this.health = Objects.requireNonNull(check, "check");
            return this;
        }

        /**
         * Serves {@code handler} for every request whose path starts with {@code path} (the JDK's context rule; the
         * longest matching route wins), behind the same token check as the built-in routes.
         */
        public Builder route(String path, HttpHandler handler) {
            Objects.requireNonNull(handler, "handler");
            if (path == null || !path.startsWith("/")) {
                throw new IllegalArgumentException("route path '" + path + "' must start with '/', e.g. /api/state");
            }
            if (path.equals(METRICS_PATH) || path.equals(HEALTH_PATH) || routes.containsKey(path)) {
                throw new IllegalArgumentException("route " + path + " is already served; pick another path");
            }
            routes.put(path, handler);
            return this;
        }

        /** Binds the address and starts serving; throws {@link UncheckedIOException} naming the port when it can't. */
        public ServiceEndpoint start() {
            HttpServer server;
            try {
                server = HttpServer.create(new InetSocketAddress(address.host(), address.port()), 16);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot listen on " + address.host() + ":" + address.port() + " ("
                        + e.getMessage() + "): is another process using port " + address.port() + "? Choose another "
                        + "port, or 0 for any free one", e);
            }
            BearerAuth auth = address.authToken().map(BearerAuth::new).orElse(null);
            server.createContext(METRICS_PATH, guarded(auth, exactly(METRICS_PATH, this::scrape)));
            server.createContext(HEALTH_PATH, guarded(auth, exactly(HEALTH_PATH, this::health)));
            routes.forEach((path, handler) -> server.createContext(path, guarded(auth, handler)));
            if (!routes.containsKey("/")) {
                server.createContext("/", guarded(auth, exchange -> reply(exchange, 404, "text/plain; charset=utf-8",
                        "no such page; try " + METRICS_PATH + " or " + HEALTH_PATH + "\n")));
            }
            ExecutorService executor = Executors.newFixedThreadPool(HANDLER_THREADS, daemonThreads(address.port()));
            server.setExecutor(executor);
            server.start();
            ServiceEndpoint endpoint = new ServiceEndpoint(server, executor, address);
            LOG.debug("endpoint listening on {}", endpoint.uri());
            return endpoint;
        }

        private void scrape(HttpExchange exchange) throws IOException {
            if (registry == null) {
                reply(exchange, 404, "text/plain; charset=utf-8", "this service exposes no metrics\n");
                return;
            }
            reply(exchange, 200, PROMETHEUS_TEXT, registry.scrape());
        }

        private void health(HttpExchange exchange) throws IOException {
            Health verdict;
            try {
                verdict = Objects.requireNonNull(health.get(), "health check returned null");
            } catch (RuntimeException e) {
                verdict = Health.down("health check failed: " + e);
            }
            reply(exchange, verdict.isUp() ? 200 : 503, "application/json", verdict.toJson());
        }
    }

    /** Runs {@code handler} only for an authorised request, and never lets a handler's failure kill the exchange. */
    private static HttpHandler guarded(BearerAuth auth, HttpHandler handler) {
        return exchange -> {
            try {
                if (auth != null && !auth.admits(exchange)) {
                    exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"flywheel\"");
                    reply(exchange, 401, "text/plain; charset=utf-8",
                            "unauthorized: send 'Authorization: Bearer <token>' or ?token=<token>\n");
                    return;
                }
                handler.handle(exchange);
            } catch (IOException | RuntimeException e) {
                LOG.warn("{} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e.toString());
                failed(exchange, e);
            } finally {
                exchange.close();
            }
        };
    }

    private static void failed(HttpExchange exchange, Exception cause) {
        if (exchange.getResponseCode() != -1) {
            return; // headers are out: all that is left is to cut the response short
        }
        try {
            reply(exchange, 500, "text/plain; charset=utf-8", "internal error: " + cause + "\n");
        } catch (IOException clientGone) {
            LOG.debug("could not report the failure to the client: {}", clientGone.toString());
        }
    }

    /** Serves {@code handler} on exactly {@code path} for GET and HEAD, 404 and 405 otherwise. */
    private static HttpHandler exactly(String path, HttpHandler handler) {
        return exchange -> {
            String method = exchange.getRequestMethod();
            if (!exchange.getRequestURI().getPath().equals(path)) {
                reply(exchange, 404, "text/plain; charset=utf-8", "no such page; try " + path + "\n");
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                reply(exchange, 405, "text/plain; charset=utf-8", path + " answers GET and HEAD only\n");
            } else {
                handler.handle(exchange);
            }
        };
    }

    /** Sends a complete response; HEAD gets the headers only. */
    static void reply(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(int port) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "fw-http-" + port + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
