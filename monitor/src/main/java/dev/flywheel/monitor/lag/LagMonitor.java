package dev.flywheel.monitor.lag;

import dev.flywheel.runtime.config.KafkaSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodically samples the lag of Flywheel's groups (and named ones) on its own thread, keeps a sliding window for
 * the status rules, and shows the latest sample on gauges and through {@link #latest()}.
 *
 * <pre>{@code try (LagMonitor lag = LagMonitor.start(kafka, LagConfig.defaults(), registry)) { lag.latest(); }}</pre>
 */
public final class LagMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LagMonitor.class);

    private final LagReader reader;
    private final LagWindow window;
    private final LagGauges gauges;
    private final ScheduledExecutorService sampler;
    private volatile LagReport latest = LagReport.empty(Instant.now());

    private LagMonitor(LagReader reader, LagConfig config, MeterRegistry registry) {
        this.reader = reader;
        this.window = LagWindow.ofSize(config.windowSize());
        this.gauges = new LagGauges(registry);
        this.sampler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "flywheel-lag-monitor");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts sampling now and then every {@code config.interval()}. */
    public static LagMonitor start(KafkaSettings kafka, LagConfig config, MeterRegistry registry) {
        LagMonitor monitor = new LagMonitor(LagReader.connect(kafka, config), config, registry);
        monitor.sampler.scheduleWithFixedDelay(monitor::sample, 0, config.interval().toMillis(), TimeUnit.MILLISECONDS);
        return monitor;
    }

    /** The latest sample with statuses over the window; never null, with no groups before the first sample. */
    public LagReport latest() {
        return latest;
    }

    private void sample() {
        try {
            LagReport report = window.add(reader.read());
            gauges.show(report);
            latest = report;
        } catch (RuntimeException e) {
            // A broker restart or a network blip must not end monitoring: the next sample tries again.
            LOG.warn("lag sample failed, keeping the previous one: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        // Let a sample in flight finish (it is bounded by the admin and probe timeouts) rather than interrupt Kafka I/O.
        sampler.shutdown();
        try {
            if (!sampler.awaitTermination(60, TimeUnit.SECONDS)) {
                LOG.warn("the lag sampler did not stop within 60 s; interrupting it");
                sampler.shutdownNow();
            }
        } catch (InterruptedException e) {
            sampler.shutdownNow();
            Thread.currentThread().interrupt();
        }
        reader.close();
        gauges.clear();
    }
}
