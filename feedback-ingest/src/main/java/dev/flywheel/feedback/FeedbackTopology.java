package dev.flywheel.feedback;

import dev.flywheel.feedback.aggregate.PromptAggregateProcessor;
import dev.flywheel.feedback.deadletter.RejectedRecords;
import dev.flywheel.feedback.join.ResponseJoinProcessor;
import dev.flywheel.feedback.join.RolloutRekey;
import dev.flywheel.feedback.metrics.FeedbackMetrics;
import dev.flywheel.feedback.pending.PendingFeedbackSerde;
import dev.flywheel.runtime.deadletter.DeadLetters;
import dev.flywheel.runtime.topics.Topics;
import dev.flywheel.schemas.serde.AvroSerdes;
import dev.flywheel.schemas.serde.TrustedSchemaPackage;
import java.time.Duration;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The feedback-ingest topology, in two stages connected by internal topics this app creates itself (so their
 * partition counts match the topics they are joined with):
 *
 * <pre>
 * rollouts ──► rekey by response id ──► [app]-rollouts-by-response ─┐
 * feedback ────────────────────────────────────────────────────────┴► join (validate, window) ──► [app]-feedback-by-prompt
 * rollouts ─────────────────────────────────────────────────────────┐                                       │
 * [app]-feedback-by-prompt ─────────────────────────────────────────┴► aggregate per prompt ◄─────────────────┘
 *        ──► preferences (pairs), scored-rollouts (HUMAN labels), metrics (disagreement), dead-letters
 * </pre>
 */
public final class FeedbackTopology {
    public static final String ROLLOUTS_SOURCE = "rollouts-source";
    public static final String ROLLOUTS_REKEY = "rollouts-rekey";
    public static final String ROLLOUTS_BY_RESPONSE_SINK = "rollouts-by-response-sink";
    public static final String ROLLOUTS_BY_RESPONSE_SOURCE = "rollouts-by-response-source";
    public static final String FEEDBACK_SOURCE = "feedback-source";
    public static final String JOIN = "response-join";
    public static final String FEEDBACK_BY_PROMPT_SINK = "feedback-by-prompt-sink";
    public static final String FEEDBACK_BY_PROMPT_SOURCE = "feedback-by-prompt-source";
    public static final String AGGREGATE = "prompt-aggregate";
    public static final String PREFERENCES_SINK = "preferences-sink";
    public static final String LABELS_SINK = "labels-sink";
    public static final String METRICS_SINK = "metrics-sink";
    public static final String DEAD_LETTER_SINK = "dead-letter-sink";

    public static final String RESPONSE_INDEX_STORE = "response-index";
    public static final String JOIN_PENDING_STORE = "join-pending";
    public static final String PROMPT_ROLLOUTS_STORE = "prompt-rollouts";
    public static final String VOTES_STORE = "votes";
    public static final String EMITTED_STORE = "emitted-pairs";
    public static final String OPEN_PAIRS_STORE = "open-pairs";
    public static final String AGGREGATE_PENDING_STORE = "aggregate-pending";

    private FeedbackTopology() {
    }

    /** The topology for {@code config}, counting in {@code metrics}. */
    public static Topology build(FeedbackIngestConfig config, FeedbackMetrics metrics) {
        // The processors copy records with Avro builders, which Avro only allows for trusted packages.
        TrustedSchemaPackage.ensureTrusted();
        Topics topics = config.topics();
        RejectedRecords rejected = new RejectedRecords(DeadLetters.to(topics.deadLetters().name(), metrics.registry()));
        StringSerializer keys = new StringSerializer();
        StringDeserializer keyReader = new StringDeserializer();
        Topology topology = new Topology();

        topology.addSource(ROLLOUTS_SOURCE, keyReader, AvroSerdes.rollout().deserializer(), topics.rollouts().name());
        topology.addProcessor(ROLLOUTS_REKEY, RolloutRekey::new, ROLLOUTS_SOURCE);
        topology.addSink(ROLLOUTS_BY_RESPONSE_SINK, config.rolloutsByResponseTopic(), keys,
                AvroSerdes.rollout().serializer(), ROLLOUTS_REKEY);

        topology.addSource(ROLLOUTS_BY_RESPONSE_SOURCE, keyReader, AvroSerdes.rollout().deserializer(),
                config.rolloutsByResponseTopic());
        topology.addSource(FEEDBACK_SOURCE, keyReader, AvroSerdes.feedback().deserializer(), topics.feedback().name());
        topology.addProcessor(JOIN, () -> new ResponseJoinProcessor(config, metrics, rejected),
                ROLLOUTS_BY_RESPONSE_SOURCE, FEEDBACK_SOURCE);
        topology.addStateStore(windowed(RESPONSE_INDEX_STORE, config, AvroSerdes.rollout()), JOIN);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(JOIN_PENDING_STORE),
                Serdes.String(), new PendingFeedbackSerde()), JOIN);
        topology.addSink(FEEDBACK_BY_PROMPT_SINK, config.feedbackByPromptTopic(), keys,
                AvroSerdes.feedback().serializer(), JOIN);

        topology.addSource(FEEDBACK_BY_PROMPT_SOURCE, keyReader, AvroSerdes.feedback().deserializer(),
                config.feedbackByPromptTopic());
        topology.addProcessor(AGGREGATE, () -> new PromptAggregateProcessor(config, metrics, rejected),
                ROLLOUTS_SOURCE, FEEDBACK_BY_PROMPT_SOURCE);
        topology.addStateStore(windowed(PROMPT_ROLLOUTS_STORE, config, AvroSerdes.rollout()), AGGREGATE);
        topology.addStateStore(windowed(VOTES_STORE, config, AvroSerdes.feedback()), AGGREGATE);
        topology.addStateStore(windowed(EMITTED_STORE, config, Serdes.Long()), AGGREGATE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(OPEN_PAIRS_STORE),
                Serdes.String(), Serdes.String()), AGGREGATE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(AGGREGATE_PENDING_STORE),
                Serdes.String(), new PendingFeedbackSerde()), AGGREGATE);

        topology.addSink(PREFERENCES_SINK, topics.preferences().name(), keys, AvroSerdes.preferencePair().serializer(),
                AGGREGATE);
        topology.addSink(LABELS_SINK, topics.scoredRollouts().name(), keys, AvroSerdes.scoredRollout().serializer(),
                AGGREGATE);
        topology.addSink(METRICS_SINK, topics.metrics().name(), keys, AvroSerdes.metricPoint().serializer(), AGGREGATE);
        topology.addSink(DEAD_LETTER_SINK, topics.deadLetters().name(), new ByteArraySerializer(),
                new ByteArraySerializer(), JOIN, AGGREGATE);
        return topology;
    }

    /**
     * A window store whose retention is the join window: entries are put at their item's event time (a rollout's
     * time) and whole segments expire once stream time has moved a join window past them.
     */
    private static <V> StoreBuilder<WindowStore<String, V>> windowed(String name, FeedbackIngestConfig config, Serde<V> values) {
        return Stores.windowStoreBuilder(Stores.persistentWindowStore(name, config.joinWindow(), Duration.ofMillis(1),
                false), Serdes.String(), values);
    }
}
