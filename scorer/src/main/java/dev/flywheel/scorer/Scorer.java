package dev.flywheel.scorer;

import ai.djl.Device;
import dev.flywheel.core.device.Devices;
import dev.flywheel.core.store.ModelStore;
import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.runtime.topics.TopicSpec;
import dev.flywheel.runtime.versions.VersionFeed;
import dev.flywheel.scorer.metrics.ScorerMetrics;
import dev.flywheel.scorer.scoring.ModelsInUse;
import dev.flywheel.scorer.swap.SwappingModels;
import dev.flywheel.scorer.topology.ScorerTopology;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scorer service: a Kafka Streams application from fw.rollouts to fw.scored-rollouts and fw.metrics, with its
 * reward model and reference hot-swapped from fw.policy-versions.
 *
 * <pre>{@code try (Scorer scorer = Scorer.start(KafkaSettings.of("127.0.0.1:9092"), config, registry)) {
 *     scorer.termination().join();
 * }}</pre>
 */
public final class Scorer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Scorer.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private final ScorerMetrics metrics;
    private final CompletableFuture<Void> termination = new CompletableFuture<>();
    private VersionFeed feed;
    private SwappingModels models;
    private KafkaStreams streams;
    private KafkaStreamsMetrics streamsMetrics;
    private volatile boolean closed;

    private Scorer(MeterRegistry registry) {
        this.metrics = new ScorerMetrics(registry);
    }

    /**
     * Loads the newest good reward model and reference (or the store's refs as version 0), starts the Streams
     * application and returns; scoring runs on the stream thread until {@link #close()}.
     */
    public static Scorer start(KafkaSettings kafka, ScorerConfig config, MeterRegistry registry) {
        Scorer scorer = new Scorer(registry);
        try {
            scorer.open(kafka, config);
        } catch (RuntimeException e) {
            scorer.close();
            throw e;
        }
        return scorer;
    }

    private void open(KafkaSettings kafka, ScorerConfig config) {
        if (!Files.isDirectory(config.modelStore())) {
            throw new IllegalArgumentException("--model-store " + config.modelStore() + " is not a directory: run "
                    + "`flywheel bootstrap --out " + config.modelStore() + "` first, or point it at your model store");
        }
        Device device = Devices.select(config.device());
        requireTopics(kafka, config);
        feed = VersionFeed.of(kafka, config.topics().policyVersions().name(), "fw-scorer-versions", where -> { });
        models = SwappingModels.startingFrom(feed.catchUp(STARTUP_TIMEOUT), ModelStore.open(config.modelStore()), device,
                config.beta(), metrics);
        feed.follow(models::observe);
        Properties props = kafka.clientProperties(Map.of());
        props.putAll(ScorerTopology.streamsProperties(config, metrics));
        streams = new KafkaStreams(ScorerTopology.build(config, models, metrics), props);
        streams.setUncaughtExceptionHandler(error -> {
            LOG.error("scorer stream thread failed; shutting the scorer down", error);
            termination.completeExceptionally(error);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                termination.complete(null);
            }
        });
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(metrics.registry());
        streams.start();
        ModelsInUse inUse = models.current();
        LOG.info("scorer {} started: reward model v{}, reference v{}, beta {}, reward {}", config.applicationId(),
                inUse.rewardVersion(), inUse.referenceVersion(), inUse.beta(), config.recipe().mode().option());
    }

    private static void requireTopics(KafkaSettings kafka, ScorerConfig config) {
        try (Admin admin = Admin.create(kafka.clientProperties(Map.of("default.api.timeout.ms", 30_000,
                "request.timeout.ms", 10_000)))) {
            Set<String> existing = admin.listTopics().names().get(STARTUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            List<String> missing = List.of(config.topics().rollouts(), config.topics().scoredRollouts(),
                    config.topics().metrics(), config.topics().deadLetters(), config.topics().policyVersions())
                    .stream().map(TopicSpec::name).filter(name -> !existing.contains(name)).toList();
            if (!missing.isEmpty()) {
                throw new IllegalStateException("topics " + missing + " do not exist: create Flywheel's topics with "
                        + "'flywheel topics create' (or check --prefix)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking topics", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot list topics on " + kafka.bootstrapServers() + ": " + e.getMessage()
                    + "; check --bootstrap-servers", e);
        }
    }

    /** Completes when the application stops: normally after {@link #close()}, exceptionally when scoring failed. */
    public CompletableFuture<Void> termination() {
        return termination;
    }

    /** The Streams application's state. */
    public KafkaStreams.State state() {
        return streams == null ? KafkaStreams.State.NOT_RUNNING : streams.state();
    }

    /** The models and β the last batch was scored with. */
    public ModelsInUse modelsInUse() {
        return models.current();
    }

    /** Rollouts scored by this instance since it started. */
    public long scored() {
        return metrics.scoredCount();
    }

    /** Stops the application (committing what it scored), the version feed and the models. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (streams != null) {
            streams.close(Duration.ofSeconds(60));
        }
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
        if (feed != null) {
            feed.close();
        }
        if (models != null) {
            models.close();
        }
        termination.complete(null);
    }
}
