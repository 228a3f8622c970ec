package dev.flywheel.feedback;

import dev.flywheel.feedback.deadletter.DeadLetterRouting;
import dev.flywheel.feedback.metrics.FeedbackMetrics;
import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.runtime.topics.TopicReadiness;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/**
 * The running feedback-ingest app: a Kafka Streams instance with {@code exactly_once_v2} over
 * {@link FeedbackTopology}. {@code FeedbackIngest.start(kafka, config, registry)} creates its internal topics,
 * starts it and returns; {@link #close()} stops it.
 */
public final class FeedbackIngest implements AutoCloseable {
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaStreams streams;
    private final FeedbackMetrics metrics;
    private final KafkaStreamsMetrics streamsMetrics;

    private FeedbackIngest(KafkaStreams streams, FeedbackMetrics metrics, KafkaStreamsMetrics streamsMetrics) {
        this.streams = streams;
        this.metrics = metrics;
        this.streamsMetrics = streamsMetrics;
    }

    /** Creates the internal topics if missing and starts the app. */
    public static FeedbackIngest start(KafkaSettings kafka, FeedbackIngestConfig config, MeterRegistry registry) {
        createInternalTopics(kafka, config);
        FeedbackMetrics metrics = new FeedbackMetrics(registry);
        KafkaStreams streams = new KafkaStreams(FeedbackTopology.build(config, metrics), properties(kafka, config, registry));
        // A failed stream thread is replaced; the transaction it had open is aborted, so nothing is emitted twice.
        streams.setUncaughtExceptionHandler(e -> StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD);
        // Kafka Streams' own metrics (kafka.stream.*, and its clients' kafka.consumer/producer.*) beside the app's.
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        streams.start();
        return new FeedbackIngest(streams, metrics, streamsMetrics);
    }

    /** The Kafka Streams properties: the user's client properties, then the app's fixed guarantees. */
    static Properties properties(KafkaSettings kafka, FeedbackIngestConfig config, MeterRegistry registry) {
        Map<String, Object> defaults = new HashMap<>();
        defaults.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        defaults.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        Properties props = kafka.clientProperties(defaults);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterRouting.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterRouting.class);
        // No global stores here; enabling the handler for them is Kafka 5's default and stops a warning per start.
        // The partition assignor reads its Streams settings from the main consumer's, so they must carry it too.
        String globalHandler = StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG;
        props.put(globalHandler, true);
        props.put(StreamsConfig.mainConsumerPrefix(globalHandler), true);
        props.put(DeadLetterRouting.TOPIC, config.topics().deadLetters().name());
        props.put(DeadLetterRouting.REGISTRY, registry);
        if (config.stateDir() != null) {
            props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        }
        return props;
    }

    /**
     * Creates the two re-keying topics with the partition counts of the topics they are joined with (feedback for
     * rollouts-by-response, rollouts for feedback-by-prompt), so that equal keys meet in the same task.
     */
    static void createInternalTopics(KafkaSettings kafka, FeedbackIngestConfig config) {
        String feedback = config.topics().feedback().name();
        String rollouts = config.topics().rollouts().name();
        try (Admin admin = Admin.create(kafka.adminProperties())) {
            Map<String, TopicDescription> found = admin.describeTopics(List.of(feedback, rollouts)).allTopicNames()
                    .get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            Set<String> existing = admin.listTopics().names().get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            // Re-keyed records live as long as the topics they come from, so a long outage loses nothing.
            Map<String, String> configs = Map.of(TopicConfig.RETENTION_MS_CONFIG,
                    config.topics().feedback().configs().getOrDefault(TopicConfig.RETENTION_MS_CONFIG, "1209600000"));
            addIfMissing(missing, existing, config.rolloutsByResponseTopic(), found.get(feedback), configs);
            addIfMissing(missing, existing, config.feedbackByPromptTopic(), found.get(rollouts), configs);
            List<String> created = new ArrayList<>();
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                    created.add(entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            TopicReadiness.awaitLeaders(admin, created, ADMIN_TIMEOUT);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot prepare feedback-ingest's topics (" + e.getCause().getMessage()
                    + "): create Flywheel's topics first with 'flywheel topics create' (same --prefix)", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out talking to Kafka at " + kafka.bootstrapServers(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing feedback-ingest's topics", e);
        }
    }

    private static void addIfMissing(List<NewTopic> missing, Set<String> existing, String name,
                                     TopicDescription partitionedLike, Map<String, String> configs) {
        if (!existing.contains(name)) {
            missing.add(new NewTopic(name, java.util.Optional.of(partitionedLike.partitions().size()),
                    java.util.Optional.empty()).configs(configs));
        }
    }

    /** The app's meters. */
    public FeedbackMetrics metrics() {
        return metrics;
    }

    /** The Kafka Streams state (RUNNING once it processes). */
    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Stops the app, committing what it has processed; waits up to a minute. */
    @Override
    public void close() {
        streams.close(Duration.ofSeconds(60));
        streamsMetrics.close();
    }
}
