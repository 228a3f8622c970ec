package dev.flywheel.monitor.lag;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The lag gauges of one registry: {@code flywheel.monitor.lag.records} and {@code .seconds} per group, topic and
 * partition, {@code flywheel.monitor.lag.status} per group ({@link LagStatus#ordinal()}: 0 OK … 4 REWIND). Gauges of
 * partitions and groups that leave the report are removed, so a scrape never shows a stale lag.
 */
final class LagGauges {

    static final String RECORDS = "flywheel.monitor.lag.records";
    static final String SECONDS = "flywheel.monitor.lag.seconds";
    static final String STATUS = "flywheel.monitor.lag.status";

    private final MeterRegistry registry;
    private final Map<Tags, Held> held = new HashMap<>();

    /** One gauge's current value and the meter showing it. */
    private record Held(AtomicReference<Double> value, Gauge gauge) {}

    LagGauges(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Shows {@code report}: updates the gauges it names, removes the others. */
    synchronized void show(LagReport report) {
        Set<Tags> seen = new HashSet<>();
        for (GroupLag group : report.groups()) {
            set(seen, STATUS, "status (0 OK, 1 WARNING, 2 STALL, 3 STOP, 4 REWIND)", null,
                    Tags.of("group", group.group()), group.status().ordinal());
            for (PartitionLag p : group.partitions()) {
                Tags tags = Tags.of("group", group.group(), "topic", p.topic(), "partition", Integer.toString(p.partition()));
                set(seen, RECORDS, "records the group has yet to read", "records", tags, p.lagRecords());
                set(seen, SECONDS, "age of the oldest unread record", "seconds", tags, p.lagSeconds());
            }
        }
        held.entrySet().removeIf(e -> {
            if (seen.contains(e.getKey())) {
                return false;
            }
            registry.remove(e.getValue().gauge());
            return true;
        });
    }

    /** Removes every gauge this instance registered. */
    synchronized void clear() {
        held.values().forEach(h -> registry.remove(h.gauge()));
        held.clear();
    }

    private void set(Set<Tags> seen, String name, String description, String unit, Tags tags, double value) {
        Tags key = tags.and("name", name);
        seen.add(key);
        held.computeIfAbsent(key, k -> {
            AtomicReference<Double> holder = new AtomicReference<>(value);
            Gauge gauge = Gauge.builder(name, holder, AtomicReference::get).description(description).baseUnit(unit)
                    .tags(tags).register(registry);
            return new Held(holder, gauge);
        }).value().set(value);
    }
}
