package dev.flywheel.scorer.topology;

import dev.flywheel.schemas.MetricPoint;
import dev.flywheel.schemas.Rollout;
import dev.flywheel.schemas.ScoredRollout;
import dev.flywheel.schemas.serde.AvroSerdes;
import dev.flywheel.scorer.ScorerConfig;
import dev.flywheel.scorer.metrics.ScorerMetrics;
import dev.flywheel.scorer.scoring.ModelSource;
import dev.flywheel.scorer.scoring.RolloutScorer;
import dev.flywheel.scorer.stats.StatPoints;
import dev.flywheel.scorer.stats.WindowStats;
import dev.flywheel.scorer.validation.RolloutValidator;
import dev.flywheel.scorer.deadletter.InvalidRolloutHandler;
import dev.flywheel.scorer.deadletter.StreamsDeadLetters;
import dev.flywheel.scorer.deadletter.UndecodableRolloutHandler;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.BuiltInDslStoreSuppliers;
import org.apache.kafka.streams.state.Stores;

/**
 * The scorer's topology:
 *
 * <pre>
 * fw.rollouts ─► validate + buffer ─(batch full or max delay)─► score ─► fw.scored-rollouts
 *                                                                  └─► per version, 10 s window ─► fw.metrics
 * </pre>
 *
 * <p>Stores are in memory and changelogged, so state is rebuilt from Kafka after a crash and no native store is
 * needed. Undecodable and invalid rollouts go to the dead-letter topic through the error handlers of
 * {@link #streamsProperties}.
 */
public final class ScorerTopology {

    /** Name of the changelogged batch buffer. */
    public static final String BUFFER_STORE = "scorer-batch-buffer";
    /** Name of the windowed statistics store. */
    public static final String STATS_STORE = "scorer-window-stats";

    private ScorerTopology() {
    }

    /** The topology scoring with {@code models} as {@code config} says, stamping scored rollouts with the system clock. */
    public static Topology build(ScorerConfig config, ModelSource models, ScorerMetrics metrics) {
        return build(config, models, metrics, InstantSource.system());
    }

    /** The same topology with scoring times from {@code clock} (tests drive statistics windows with it). */
    public static Topology build(ScorerConfig config, ModelSource models, ScorerMetrics metrics, InstantSource clock) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(BUFFER_STORE), Serdes.Long(),
                BufferedRollout.serde()));
        BatchingScorer.BatchSettings settings = new BatchingScorer.BatchSettings(models,
                new RolloutScorer(config.recipe()), new RolloutValidator(config.recipe().mode().usesJudge()),
                config.batchSize(), config.maxBatchDelay(), metrics, clock);
        KStream<String, ScoredRollout> scored = builder
                .stream(config.topics().rollouts().name(), Consumed.with(Serdes.String(), AvroSerdes.rollout())
                        .withName("rollouts"))
                .process(() -> new BatchingScorer(BUFFER_STORE, settings), Named.as("score-batches"), BUFFER_STORE);
        scored.to(config.topics().scoredRollouts().name(), Produced.with(Serdes.String(), AvroSerdes.scoredRollout())
                .withName("scored-rollouts"));
        scored.map((key, value) -> KeyValue.pair(value.getPolicyVersion(), WindowStats.of(value)), Named.as("observe"))
                .groupByKey(Grouped.with("by-policy-version", Serdes.Long(), WindowStats.serde()))
                .windowedBy(TimeWindows.ofSizeAndGrace(config.statsWindow(), config.statsGrace()))
                .reduce(WindowStats::merge, Named.as("window-stats"), Materialized.<Long, WindowStats>as(
                                Stores.inMemoryWindowStore(STATS_STORE,
                                        config.statsWindow().plus(config.statsGrace()).multipliedBy(2),
                                        config.statsWindow(), false))
                        .withKeySerde(Serdes.Long()).withValueSerde(WindowStats.serde()))
                .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()).withName("closed-windows"))
                .toStream(Named.as("window-results"))
                .flatMap((window, stats) -> {
                    List<KeyValue<String, MetricPoint>> points = new ArrayList<>();
                    for (MetricPoint point : StatPoints.of(window.key(), window.window().startTime(),
                            window.window().endTime(), stats)) {
                        points.add(KeyValue.pair(point.getSeries(), point));
                    }
                    return points;
                }, Named.as("stat-points"))
                .to(config.topics().metrics().name(), Produced.with(Serdes.String(), AvroSerdes.metricPoint())
                        .withName("metrics"));
        return builder.build();
    }

    /**
     * Streams properties for {@code config}: exactly-once v2, the dead-letter handlers (counting in {@code metrics}),
     * in-memory DSL stores, and one stream thread (model calls run on it, one at a time).
     */
    public static Properties streamsProperties(ScorerConfig config, ScorerMetrics metrics) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, UndecodableRolloutHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, InvalidRolloutHandler.class);
        // No global stores here; enabling the handler for them is Kafka 5's default and stops a warning per start.
        // The partition assignor reads its Streams settings from the main consumer's, so they must carry it too.
        String globalHandler = StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG;
        props.put(globalHandler, true);
        props.put(StreamsConfig.mainConsumerPrefix(globalHandler), true);
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, config.topics().deadLetters().name());
        props.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, BuiltInDslStoreSuppliers.InMemoryDslStoreSuppliers.class);
        props.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        props.put(StreamsDeadLetters.REGISTRY_CONFIG, metrics.registry());
        config.stateDir().ifPresent(dir -> props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString()));
        return props;
    }

}
