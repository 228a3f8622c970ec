package dev.flywheel.cli.monitor;

import dev.flywheel.cli.kafka.KafkaOptions;
import dev.flywheel.cli.progress.ProgressLine;
import dev.flywheel.monitor.Monitor;
import dev.flywheel.monitor.MonitorConfig;
import dev.flywheel.monitor.dashboard.DashboardSnapshot;
import dev.flywheel.monitor.dashboard.LagView;
import dev.flywheel.monitor.drift.DriftConfig;
import dev.flywheel.monitor.lag.LagConfig;
import dev.flywheel.runtime.http.EndpointAddress;
import dev.flywheel.runtime.http.ServiceEndpoint;
import dev.flywheel.runtime.http.ServiceMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flywheel monitor}: lag, drift alarms and the live dashboard page in the foreground. */
@Command(name = "monitor", mixinStandardHelpOptions = true,
        description = {
            "Serves the live dashboard at http://BIND:PORT/ with charts of mean reward and KL per policy version,",
            "right/refuse/wrong rates (live judge and per-version evaluation), consumer lag per group and the drift",
            "alarms, refreshed every 1.5 s; /api/state holds the same data as JSON, /metrics and /health the",
            "Prometheus metrics (flywheel_monitor_*) and health. Samples the lag of every group reading Flywheel's",
            "topics (plus each --group) and runs the drift detectors on fw.metrics, publishing their alarms there.",
            "Binds 127.0.0.1 unless --bind says otherwise; any other address requires --auth-token.",
            "Runs until Ctrl-C or --run-for."
        })
public final class MonitorCommand implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Mixin KafkaOptions kafka;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
            description = "Port of the dashboard, /api/state, /metrics and /health; 0 picks a free port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", paramLabel = "HOST", defaultValue = EndpointAddress.LOOPBACK,
            description = "Interface to listen on; any other than loopback requires --auth-token (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--auth-token", paramLabel = "TOKEN", defaultValue = "${env:FLYWHEEL_AUTH_TOKEN}",
            description = "Secret every request must carry as 'Authorization: Bearer TOKEN' or ?token=TOKEN (open the "
                    + "page as http://HOST:PORT/?token=TOKEN); required off loopback (default: the FLYWHEEL_AUTH_TOKEN "
                    + "environment variable).")
    String authToken;

    @Option(names = "--group", paramLabel = "GROUP",
            description = "A consumer group to report besides Flywheel's own (repeatable).")
    List<String> groups = new ArrayList<>();

    @Option(names = "--lag-interval", paramLabel = "DURATION", defaultValue = "PT5S",
            description = "How often lag is sampled, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration lagInterval;

    @Option(names = "--psi-warn", paramLabel = "PSI", defaultValue = "0.1",
            description = "PSI of a window against the reference that raises a warning (default: ${DEFAULT-VALUE}).")
    double psiWarn;

    @Option(names = "--psi-alarm", paramLabel = "PSI", defaultValue = "0.2",
            description = "PSI that raises an alarm (default: ${DEFAULT-VALUE}).")
    double psiAlarm;

    @Option(names = "--kl-bound", paramLabel = "NATS", defaultValue = "5.0",
            description = "KL past which a rising reward counts as reward hacking (default: ${DEFAULT-VALUE}).")
    double klBound;

    @Option(names = "--history", paramLabel = "N", defaultValue = "720",
            description = "Points kept per chart; older ones fall off (default: ${DEFAULT-VALUE}, 2 h of 10 s windows).")
    int history;

    @Option(names = "--run-for", paramLabel = "DURATION", description = "Stop after this long (default: until Ctrl-C).")
    Duration runFor;

    @Override
    public Integer call() throws InterruptedException {
        MonitorConfig config = config();
        PrintWriter out = spec.commandLine().getOut();
        PrometheusMeterRegistry registry = ServiceMetrics.prometheus("monitor");
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        // Ctrl-C: ask the loop below to stop, then hold the JVM until the monitor is closed and the summary printed.
        Thread hook = new Thread(() -> {
            stop.countDown();
            awaitQuietly(stopped);
        }, "flywheel-monitor-shutdown");
        Monitor monitor = start(config, registry);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            out.println("dashboard: " + monitor.uri() + tokenHint(config));
            out.println("metrics: " + monitor.uri().resolve(ServiceEndpoint.METRICS_PATH));
            out.flush();
            ProgressLine progress = ProgressLine.onTerminal(out, "monitor", 0, "metric points");
            long deadline = runFor == null ? Long.MAX_VALUE : System.nanoTime() + runFor.toNanos();
            while (!stop.await(1, TimeUnit.SECONDS) && System.nanoTime() < deadline) {
                DashboardSnapshot now = monitor.snapshot();
                progress.update(now.pointsRead(), status(now));
            }
            progress.finish("monitor stopped: " + monitor.snapshot().pointsRead() + " metric points read, "
                    + status(monitor.snapshot()));
        } finally {
            monitor.close();
            registry.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the JVM is exiting and the monitor is closed above.
            }
            stopped.countDown();
        }
        return 0;
    }

    private Monitor start(MonitorConfig config, PrometheusMeterRegistry registry) {
        try {
            return Monitor.start(kafka.settings(), config, registry);
        } catch (UncheckedIOException e) {
            registry.close();
            throw new IllegalArgumentException("--port " + port + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
    }

    private MonitorConfig config() {
        if (runFor != null && (runFor.isNegative() || runFor.isZero())) {
            throw new IllegalArgumentException("--run-for must be a positive duration such as PT60S, was " + runFor);
        }
        if (history < 2) {
            throw new IllegalArgumentException("--history must be at least 2 points per chart, was " + history);
        }
        Optional<String> token = authToken == null || authToken.isEmpty() ? Optional.empty() : Optional.of(authToken);
        EndpointAddress address = new EndpointAddress(bind, port, token);
        DriftConfig drift;
        try {
            drift = DriftConfig.defaults().withPsiThresholds(psiWarn, psiAlarm).withKlBound(klBound);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--psi-warn/--psi-alarm/--kl-bound: " + e.getMessage(), e);
        }
        if (lagInterval.isNegative() || lagInterval.isZero()) {
            throw new IllegalArgumentException("--lag-interval must be a positive duration such as PT5S, was "
                    + lagInterval);
        }
        LagConfig lag = LagConfig.defaults().withInterval(lagInterval).withGroups(groups);
        return MonitorConfig.listeningOn(address).withTopics(kafka.topics()).withLag(lag).withDrift(drift)
                .withHistory(history);
    }

    private static String tokenHint(MonitorConfig config) {
        return config.endpoint().authToken().isPresent() ? "?token=<--auth-token>" : "";
    }

    private static String status(DashboardSnapshot now) {
        long versions = now.versionsOf("policy").size();
        long lag = now.lag().groups().stream().mapToLong(LagView.Group::lagRecords).sum();
        return String.format("%d policy versions, lag %d records in %d groups, %d alarms", versions, lag,
                now.lag().groups().size(), now.alarms().size());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(90, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
