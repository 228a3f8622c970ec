package dev.flywheel.learner.publish;

import dev.flywheel.core.model.TransformerModel;
import dev.flywheel.core.store.Checkpoint;
import dev.flywheel.core.store.ModelStore;
import dev.flywheel.core.store.StoredCheckpoint;
import dev.flywheel.learner.ledger.OffsetSpan;
import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.schemas.PolicyVersion;
import dev.flywheel.schemas.json.JsonCodec;
import dev.flywheel.schemas.serde.AvroSerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes versions: the weights go to the content-addressed model store, then a {@link PolicyVersion} naming
 * them (sha256, URI, lineage, metrics) goes to the policy-version topic, keyed by model name.
 */
public final class VersionPublisher implements AutoCloseable {

    private static final JsonCodec<PolicyVersion> JSON = JsonCodec.forType(PolicyVersion.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(60);

    private final ModelStore store;
    private final String topic;
    private final KafkaProducer<String, PolicyVersion> producer;

    private VersionPublisher(ModelStore store, String topic, KafkaProducer<String, PolicyVersion> producer) {
        this.store = store;
        this.topic = topic;
        this.producer = producer;
    }

    /** A publisher writing blobs to {@code store} and records to {@code topic}. */
    public static VersionPublisher to(KafkaSettings kafka, String topic, ModelStore store) {
        var props = kafka.clientProperties(Map.of(ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true));
        return new VersionPublisher(store, topic,
                new KafkaProducer<>(props, new StringSerializer(), AvroSerdes.policyVersion().serializer()));
    }

    /** The record of a new version of {@code model}; its weights are saved to the store here. */
    public PolicyVersion prepare(String modelName, TransformerModel model, Candidate candidate) {
        StoredCheckpoint blob = store.save(Checkpoint.of(model)
                .withMetadata("model", modelName)
                .withMetadata("version", Long.toString(candidate.version())));
        return PolicyVersion.newBuilder()
                .setId(modelName + "@v" + candidate.version())
                .setTs(Instant.now())
                .setModel(modelName)
                .setVersion(candidate.version())
                .setParent(candidate.parent())
                .setStep(candidate.step())
                .setSha256(blob.sha256())
                .setUri(blob.uri().toString())
                .setSizeBytes(blob.size())
                .setBeta(candidate.beta())
                .setAlgo(candidate.algorithm())
                .setMetrics(new TreeMap<>(candidate.metrics()))
                .setLineage(candidate.lineage().stream().map(OffsetSpan::toAvro).toList())
                .build();
    }

    /** Sends a prepared version and waits until the broker has it. */
    public void send(PolicyVersion version) {
        try {
            producer.send(new ProducerRecord<>(topic, version.getModel(), version))
                    .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing version " + version.getVersion(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not publish version " + version.getVersion() + " to " + topic
                    + ": " + e.getMessage(), e);
        }
    }

    /** A version record as the checkpoint keeps it. */
    public static String toJson(PolicyVersion version) {
        return JSON.toJson(version);
    }

    /** A version record back from the checkpoint. */
    public static PolicyVersion fromJson(String json) {
        return JSON.fromJson(json);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }

    /**
     * What a new version is.
     *
     * @param version   its number
     * @param parent    the version it was trained from
     * @param step      optimizer steps since the learner first started
     * @param beta      the KL coefficient in force
     * @param algorithm the algorithm's flag
     * @param metrics   headline metrics at publish
     * @param lineage   offsets trained on since the parent
     */
    public record Candidate(long version, long parent, long step, double beta, String algorithm,
                            Map<String, Double> metrics, List<OffsetSpan> lineage) {
    }
}
