package dev.flywheel.monitor.drift;

import dev.flywheel.runtime.bridge.KafkaSender;
import dev.flywheel.runtime.bridge.SenderOptions;
import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.runtime.deadletter.DeadLetters;
import dev.flywheel.runtime.topics.Topics;
import dev.flywheel.schemas.serde.AvroSerdes;
import dev.flywheel.schemas.serde.AvroSerializer;
import dev.flywheel.schemas.MetricPoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Consumes fw.metrics, runs the drift detectors per series and version ({@link DriftDetectors}), and publishes each
 * alarm back to fw.metrics as an ALARM point ({@link AlarmPoints}), logs it at WARN and counts it.
 *
 * <pre>{@code
 * try (DriftMonitor drift = DriftMonitor.start(KafkaSettings.of("127.0.0.1:9092"), Topics.defaults(),
 *         DriftConfig.defaults(), registry)) {
 *     drift.recentAlarms().forEach(System.out::println);
 * }
 * }</pre>
 *
 * <p>On every start it reads fw.metrics from the beginning on its own thread, so the PSI references are the first
 * points the topic still holds and the detectors end where they were; alarms below its consumer group's committed
 * offset are kept in {@link #recentAlarms()} but not published again (see {@link DriftLoop}). Undecodable records
 * go to the dead-letter topic and the monitor keeps going; a Kafka failure starts the pass over after a pause.
 * Run one monitor per consumer group.
 */
public final class DriftMonitor implements AutoCloseable {
    /** Counter of alarms published, tagged {@code kind} (psi_warn, psi_alarm, change_point, reward_hacking). */
    public static final String METRIC_ALARMS = "flywheel.monitor.drift.alarms";
    /** Counter of fw.metrics points fed to the detectors, replayed ones included. */
    public static final String METRIC_POINTS = "flywheel.monitor.drift.points";
    private static final Logger LOG = LoggerFactory.getLogger(DriftMonitor.class);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(5);

    private final String metricsTopic;
    private final DriftConfig config;
    private final Properties consumerProperties;
    private final KafkaSender<byte[], byte[]> sender;
    private final DeadLetters deadLetters;
    private final AvroSerializer<MetricPoint> serializer = AvroSerdes.metricPoint().serializer();
    private final Map<AlarmKind, Counter> published = new EnumMap<>(AlarmKind.class);
    private final Counter observed;
    private final ArrayDeque<DriftAlarm> recent = new ArrayDeque<>();
    private final Thread thread;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile KafkaConsumer<?, ?> consumer;

    private DriftMonitor(KafkaSettings kafka, Topics topics, DriftConfig config, MeterRegistry registry) {
        this.metricsTopic = topics.metrics().name();
        this.config = config;
        this.consumerProperties = kafka.consumerProperties(config.groupId(), Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                // Waiting for a missing fw.metrics must not create it with the broker's defaults.
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false));
        this.sender = KafkaSender.create(SenderOptions.ofBytes(kafka.clientProperties(Map.of(
                ProducerConfig.LINGER_MS_CONFIG, 5))).name("monitor-drift").build(), registry);
        this.deadLetters = DeadLetters.to(topics.deadLetters().name(), registry).via(sender);
        for (AlarmKind kind : AlarmKind.values()) {
            published.put(kind, Counter.builder(METRIC_ALARMS).description("drift alarms published to fw.metrics")
                    .tag("kind", kind.name().toLowerCase(java.util.Locale.ROOT)).register(registry));
        }
        this.observed = Counter.builder(METRIC_POINTS).description("fw.metrics points fed to the drift detectors")
                .register(registry);
        this.thread = new Thread(this::run, "fw-monitor-drift");
        this.thread.setDaemon(true);
    }

    /** Starts consuming {@code topics.metrics()} in the background; returns at once. */
    public static DriftMonitor start(KafkaSettings kafka, Topics topics, DriftConfig config, MeterRegistry registry) {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(registry, "registry");
        DriftMonitor monitor = new DriftMonitor(kafka, topics, config, registry);
        monitor.thread.start();
        return monitor;
    }

    /** The latest alarms, newest last, at most {@link DriftConfig#recentAlarms()} of them. */
    public List<DriftAlarm> recentAlarms() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    private void run() {
        DriftLoop loop = new DriftLoop(metricsTopic, config, deadLetters, new Outlet());
        DriftLoop.Stop stop = new DriftLoop.Stop() {
            @Override
            public boolean requested() {
                return closed.getCount() == 0;
            }

            @Override
            public void await(Duration duration) {
                try {
                    closed.await(duration.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    closed.countDown();
                }
            }
        };
        while (!stop.requested()) {
            synchronized (recent) {
                // The pass replays the topic from its beginning and refills them.
                recent.clear();
            }
            try {
                loop.run(consumerProperties, stop, opened -> consumer = opened);
            } catch (WakeupException closed) {
                // close() woke the poll.
            } catch (RuntimeException e) {
                if (stop.requested()) {
                    break;
                }
                LOG.error("drift monitor: reading {} failed, starting over in {} s: {}", metricsTopic,
                        RETRY_PAUSE.toSeconds(), e.toString());
                stop.await(RETRY_PAUSE);
            }
        }
    }

    /** Stops consuming, waits for the pass to end, then flushes and closes the producer. */
    @Override
    public void close() {
        closed.countDown();
        KafkaConsumer<?, ?> current = consumer;
        if (current != null) {
            try {
                current.wakeup();
            } catch (RuntimeException alreadyClosed) {
                // The pass ended on its own; nothing to wake.
            }
        }
        try {
            thread.join(Duration.ofSeconds(60).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.close();
    }

    /** Where the loop's findings go: the recent list, the log, the counters and fw.metrics. */
    private final class Outlet implements DriftLoop.Outlet {
        @Override
        public void alarm(DriftAlarm alarm, boolean live) {
            synchronized (recent) {
                recent.addLast(alarm);
                while (recent.size() > config.recentAlarms()) {
                    recent.removeFirst();
                }
            }
            if (live) {
                LOG.warn("drift alarm {} on {} (policy version {}): {}", alarm.kind(), alarm.series(),
                        alarm.policyVersion(), alarm.message());
            }
        }

        @Override
        public Mono<?> publish(DriftAlarm alarm) {
            MetricPoint point = AlarmPoints.toPoint(alarm);
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(metricsTopic,
                    point.getSeries().getBytes(StandardCharsets.UTF_8), serializer.serialize(metricsTopic, point));
            return sender.send(record).doOnNext(written -> published.get(alarm.kind()).increment());
        }

        @Override
        public void observed() {
            observed.increment();
        }
    }
}
