package dev.flywheel.cli.bench.swap;

import ai.djl.Device;
import dev.flywheel.core.bootstrap.Bootstrap;
import dev.flywheel.core.model.TransformerModel;
import dev.flywheel.core.store.Checkpoint;
import dev.flywheel.core.store.ModelStore;
import dev.flywheel.core.store.StoredCheckpoint;
import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.schemas.PolicyVersion;
import dev.flywheel.schemas.serde.AvroSerdes;
import dev.flywheel.schemas.serde.TrustedSchemaPackage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Policy versions 1…K with policy-v0's shape and freshly drawn weights, saved to the model store up front (as a
 * learner saves before it publishes), and published one record at a time the way the learner publishes them.
 */
public final class FreshVersions implements AutoCloseable {
    private final List<StoredCheckpoint> stored;
    private final KafkaProducer<String, PolicyVersion> producer;
    private final String topic;

    private FreshVersions(List<StoredCheckpoint> stored, KafkaSettings kafka, String topic) {
        this.stored = stored;
        this.topic = topic;
        this.producer = new KafkaProducer<>(kafka.clientProperties(Map.of(ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0)), new StringSerializer(), AvroSerdes.policyVersion().serializer());
    }

    /** Saves {@code count} fresh policies into {@code store}, ready to be published to {@code topic}. */
    public static FreshVersions prepare(ModelStore store, int count, KafkaSettings kafka, String topic) {
        List<StoredCheckpoint> stored = new ArrayList<>();
        try (TransformerModel v0 = store.loadRef(Bootstrap.POLICY_REF).toModel(Device.cpu())) {
            for (int k = 1; k <= count; k++) {
                try (TransformerModel fresh = TransformerModel.create(v0.config(), v0.tokenizer(), 1000L + k,
                        Device.cpu())) {
                    stored.add(store.save(Checkpoint.of(fresh)));
                }
            }
        }
        return new FreshVersions(stored, kafka, topic);
    }

    /** Versions prepared. */
    public int count() {
        return stored.size();
    }

    /**
     * Publishes version {@code version} (1-based) and returns the nano time just before the send; waits for the
     * broker's acknowledgement.
     */
    public long publish(long version) throws InterruptedException {
        StoredCheckpoint blob = stored.get((int) version - 1);
        // The record's default lineage holds OffsetRange records, which Avro builds only once the package is trusted.
        TrustedSchemaPackage.ensureTrusted();
        PolicyVersion record = PolicyVersion.newBuilder().setId("policy@" + version).setTs(Instant.now())
                .setModel("policy").setVersion(version).setParent(version - 1).setStep(version)
                .setSha256(blob.sha256()).setUri(ModelStore.storeUri(blob.sha256()).toString())
                .setSizeBytes(blob.size()).setBeta(0.05).setAlgo("bench").build();
        long sent = System.nanoTime();
        try {
            producer.send(new ProducerRecord<>(topic, record.getModel(), record)).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot publish version " + version + " to " + topic + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
        return sent;
    }

    @Override
    public void close() {
        producer.close();
    }
}
