package dev.flywheel.runtime.http;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One registry per service JVM/component with common tags, JVM binders.
 *
 * <p>Every meter gets the tag {@code component=<component>}, so one Prometheus can tell the generator's
 * {@code jvm_memory_used_bytes} from the scorer's; services name their own meters
 * {@code flywheel.<component>.<thing>} in base units (seconds, bytes).
 */
public final class ServiceMetrics {
    /** The common tag naming the service. */
    public static final String COMPONENT_TAG = "component";
    private static final Pattern COMPONENT = Pattern.compile("[a-z][a-z0-9-]*");

    private ServiceMetrics() {
    }

    /**
     * A Prometheus registry tagged {@code component}, with JVM memory, GC, thread, class-loader, processor and
     * uptime meters bound; closing it releases the GC listener.
     */
    public static PrometheusMeterRegistry prometheus(String component) {
        Objects.requireNonNull(component, "component");
        if (!COMPONENT.matcher(component).matches()) {
            throw new IllegalArgumentException("component '" + component + "' must be lower-case letters, digits and "
                    + "dashes, starting with a letter (e.g. scorer, feedback-ingest)");
        }
        JvmGcMetrics gc = new JvmGcMetrics();
        PrometheusMeterRegistry registry = new ServiceRegistry(gc);
        registry.config().commonTags(COMPONENT_TAG, component);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return registry;
    }

    /** A Prometheus registry that also stops the GC binder's notification listener when closed. */
    private static final class ServiceRegistry extends PrometheusMeterRegistry {
        private final JvmGcMetrics gc;

        ServiceRegistry(JvmGcMetrics gc) {
            super(PrometheusConfig.DEFAULT);
            this.gc = gc;
        }

        @Override
        public void close() {
            gc.close();
            super.close();
        }
    }
}
