package dev.flywheel.runtime.bridge;

import io.micrometer.core.instrument.Gauge;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Samples gauges on a fixed period and remembers the largest value each one showed. */
final class GaugeSampler implements AutoCloseable {
    private final List<Gauge> gauges;
    private final Map<Gauge, Double> maxima = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "gauge-sampler");
        thread.setDaemon(true);
        return thread;
    });

    private GaugeSampler(List<Gauge> gauges) {
        this.gauges = gauges;
    }

    static GaugeSampler every(Duration period, Gauge... gauges) {
        GaugeSampler sampler = new GaugeSampler(Arrays.asList(gauges));
        sampler.timer.scheduleAtFixedRate(sampler::sample, 0, period.toNanos(), TimeUnit.NANOSECONDS);
        return sampler;
    }

    private void sample() {
        for (Gauge gauge : gauges) {
            maxima.merge(gauge, gauge.value(), Math::max);
        }
    }

    double max(Gauge gauge) {
        return maxima.getOrDefault(gauge, Double.NaN);
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdown();
        timer.awaitTermination(10, TimeUnit.SECONDS);
    }
}
