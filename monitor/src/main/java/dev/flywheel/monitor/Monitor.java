package dev.flywheel.monitor;

import dev.flywheel.monitor.dashboard.AlarmView;
import dev.flywheel.monitor.dashboard.DashboardRoutes;
import dev.flywheel.monitor.dashboard.DashboardSnapshot;
import dev.flywheel.monitor.dashboard.DashboardState;
import dev.flywheel.monitor.dashboard.LagView;
import dev.flywheel.monitor.dashboard.MetricsFeed;
import dev.flywheel.monitor.drift.DriftMonitor;
import dev.flywheel.monitor.lag.LagMonitor;
import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.runtime.http.Health;
import dev.flywheel.runtime.http.ServiceEndpoint;
import dev.flywheel.runtime.versions.VersionFeed;
import dev.flywheel.schemas.PolicyVersion;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor service: consumer lag, drift detectors and the live dashboard behind one HTTP endpoint that serves the
 * page at {@code /}, its state at {@code /api/state}, Prometheus {@code /metrics} and {@code /health}.
 *
 * <pre>{@code try (Monitor monitor = Monitor.start(kafka, MonitorConfig.listeningOn(EndpointAddress.loopback(8080)),
 *         ServiceMetrics.prometheus("monitor"))) {
 *     System.out.println("dashboard: " + monitor.uri());
 * }}</pre>
 */
public final class Monitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Monitor.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private final List<AutoCloseable> opened = new ArrayList<>();
    private LagMonitor lag;
    private DriftMonitor drift;
    private DashboardState state;
    private MetricsFeed metrics;
    private ServiceEndpoint endpoint;

    private Monitor() {
    }

    /**
     * Starts sampling lag, running the drift detectors, reading fw.metrics and fw.policy-versions from their beginning,
     * and serving the endpoint; returns once the page can be opened.
     *
     * @throws IllegalStateException when Flywheel's topics do not exist
     * @throws java.io.UncheckedIOException naming the port when it cannot be bound
     */
    public static Monitor start(KafkaSettings kafka, MonitorConfig config, PrometheusMeterRegistry registry) {
        Monitor monitor = new Monitor();
        try {
            monitor.open(kafka, config, registry);
        } catch (RuntimeException e) {
            monitor.close();
            throw e;
        }
        return monitor;
    }

    private void open(KafkaSettings kafka, MonitorConfig config, PrometheusMeterRegistry registry) {
        VersionFeed versions = VersionFeed.of(kafka, config.topics().policyVersions().name(), "fw-monitor-versions",
                where -> LOG.warn("the dashboard skips an undecodable model version at {}", where));
        opened.add(versions);
        // Read first: it fails fast, naming the fix, when Flywheel's topics do not exist, before any thread starts.
        List<PolicyVersion> published = versions.catchUp(STARTUP_TIMEOUT);
        lag = remember(LagMonitor.start(kafka, config.lag(), registry));
        drift = remember(DriftMonitor.start(kafka, config.topics(), config.drift(), registry));
        LagMonitor lagMonitor = lag;
        DriftMonitor detectors = drift;
        state = DashboardState.pulling(config.historyPoints(), () -> LagView.of(lagMonitor.latest()),
                () -> detectors.recentAlarms().stream().map(AlarmView::of).toList());
        published.forEach(state::accept);
        versions.follow(state::accept);
        metrics = remember(MetricsFeed.start(kafka, config.topics().metrics().name(), state, STARTUP_TIMEOUT));
        bindMeters(registry);
        ServiceEndpoint.Builder routes = ServiceEndpoint.on(config.endpoint()).metrics(registry).health(this::health);
        DashboardRoutes.serving(state).handlers().forEach(routes::route);
        endpoint = remember(routes.start());
        LOG.info("monitor serving the dashboard at {} (topics {}*)", endpoint.uri(), config.topics().prefix());
    }

    private void bindMeters(PrometheusMeterRegistry registry) {
        DashboardState dashboard = state;
        FunctionCounter.builder("flywheel.monitor.dashboard.points", dashboard, DashboardState::pointsRead)
                .description("metric points read from the metrics topic").register(registry);
        FunctionCounter.builder("flywheel.monitor.dashboard.undecodable", dashboard, DashboardState::undecodablePoints)
                .description("records of the metrics topic that could not be decoded").register(registry);
        Gauge.builder("flywheel.monitor.dashboard.versions", dashboard, DashboardState::versionCount)
                .description("model versions the dashboard knows").register(registry);
    }

    private <T extends AutoCloseable> T remember(T resource) {
        opened.add(resource);
        return resource;
    }

    /** Up while the metrics feed reads; the details say how much the dashboard has seen. */
    public Health health() {
        if (metrics == null) {
            return Health.down("starting");
        }
        if (!metrics.running()) {
            return Health.down("metrics feed stopped: " + metrics.failure().orElse("closed"));
        }
        return Health.up().with("points", Long.toString(state.pointsRead()))
                .with("versions", Long.toString(state.versionCount()));
    }

    /** {@code http://host:port/}, where the dashboard is. */
    public URI uri() {
        return endpoint.uri();
    }

    /** The port the endpoint listens on (the one picked when configured with port 0). */
    public int port() {
        return endpoint.port();
    }

    /** What the dashboard shows now. */
    public DashboardSnapshot snapshot() {
        return state.snapshot();
    }

    /** Stops the endpoint, the feeds and the monitors, newest first. */
    @Override
    public void close() {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", opened.get(i).getClass().getSimpleName(), e.toString());
            }
        }
        opened.clear();
    }
}
