package dev.flywheel.cli.metrics;

import dev.flywheel.runtime.http.EndpointAddress;
import dev.flywheel.runtime.http.Health;
import dev.flywheel.runtime.http.ServiceEndpoint;
import dev.flywheel.runtime.http.ServiceMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options of a service's /metrics and /health endpoint: {@code --metrics-port}, {@code --metrics-host} and
 * {@code --auth-token}.
 *
 * <p>Each service has its own default port, so that all of them run side by side on one machine; a command
 * declares the mixin initialised for its component, which makes that port the option's default:
 * <pre>{@code @Mixin MetricsOptions metrics = MetricsOptions.forComponent("scorer");}</pre>
 */
public final class MetricsOptions {
    /** Default ports by component; 9401-9405 are unassigned by IANA and clear of Kafka's and Prometheus's. */
    public static final Map<String, Integer> DEFAULT_PORTS = Map.of(
            "generator", 9401,
            "scorer", 9402,
            "feedback-ingest", 9403,
            "learner", 9404,
            "simulate", 9405);
    /** {@code --metrics-port} value that turns the endpoint off. */
    public static final int OFF = -1;

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Port of this service's Prometheus /metrics and /health endpoint; 0 picks a free port, "
                    + "-1 turns it off (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--metrics-host", paramLabel = "HOST", defaultValue = EndpointAddress.LOOPBACK,
            description = "Interface the endpoint listens on; any other than loopback requires --auth-token "
                    + "(default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--auth-token", paramLabel = "TOKEN", defaultValue = "${env:FLYWHEEL_AUTH_TOKEN}",
            description = "Secret every endpoint request must carry as 'Authorization: Bearer TOKEN' or ?token=TOKEN; "
                    + "required off loopback (default: the FLYWHEEL_AUTH_TOKEN environment variable).")
    String authToken;

    private final String component;

    private MetricsOptions(String component, int defaultPort) {
        this.component = component;
        this.port = defaultPort;
    }

    /** The options of {@code component}'s endpoint, defaulting to its port in {@link #DEFAULT_PORTS}. */
    public static MetricsOptions forComponent(String component) {
        Integer port = DEFAULT_PORTS.get(Objects.requireNonNull(component, "component"));
        if (port == null) {
            throw new IllegalArgumentException("no default metrics port for component '" + component + "'; known: "
                    + new java.util.TreeSet<>(DEFAULT_PORTS.keySet()));
        }
        return new MetricsOptions(component, port);
    }

    /** The component these options serve, the value of every meter's {@code component} tag. */
    public String component() {
        return component;
    }

    /** A fresh registry for this component ({@link ServiceMetrics#prometheus}). */
    public PrometheusMeterRegistry registry() {
        return ServiceMetrics.prometheus(component);
    }

    /** Whether {@code --metrics-port -1} turned the endpoint off. */
    public boolean off() {
        return port == OFF;
    }

    /** Where the endpoint listens; empty when it is off. Throws naming the flag when the values are wrong. */
    public Optional<EndpointAddress> address() {
        if (off()) {
            return Optional.empty();
        }
        if (port < OFF || port > 65_535) {
            throw new IllegalArgumentException("--metrics-port must be 1-65535, 0 (any free port) or -1 (off), was "
                    + port);
        }
        Optional<String> token = authToken == null || authToken.isEmpty() ? Optional.empty() : Optional.of(authToken);
        return Optional.of(new EndpointAddress(host, port, token));
    }

    /**
     * Starts the endpoint serving {@code registry} and {@code health}, and prints
     * {@code metrics: http://host:port/metrics} once; returns {@code null} when {@code --metrics-port -1}.
     */
    public ServiceEndpoint start(PrometheusMeterRegistry registry, Supplier<Health> health) {
        Optional<EndpointAddress> address = address();
        if (address.isEmpty()) {
            return null;
        }
        ServiceEndpoint endpoint;
        try {
            endpoint = ServiceEndpoint.on(address.get()).metrics(registry).health(health).start();
        } catch (java.io.UncheckedIOException e) {
            throw new IllegalArgumentException("--metrics-port " + port + ": " + e.getMessage()
                    + " (or --metrics-port -1 to run without an endpoint)", e);
        }
        PrintWriter out = mixee.commandLine().getOut();
        out.println("metrics: " + endpoint.uri().resolve(ServiceEndpoint.METRICS_PATH));
        out.flush();
        return endpoint;
    }

    /** Closes {@code endpoint} (if {@link #start} returned one) and then {@code registry}. */
    public static void stop(ServiceEndpoint endpoint, PrometheusMeterRegistry registry) {
        if (endpoint != null) {
            endpoint.close();
        }
        registry.close();
    }
}
