package dev.flywheel.cli.monitor;

import dev.flywheel.core.bootstrap.Bootstrap;
import dev.flywheel.core.bootstrap.BootstrapManifest;
import dev.flywheel.core.bootstrap.BootstrapOptions;
import dev.flywheel.core.bootstrap.ShippedModels;
import dev.flywheel.core.sampling.SamplingParams;
import dev.flywheel.core.store.ModelStore;
import dev.flywheel.feedback.simulate.SimulatedUsers;
import dev.flywheel.feedback.simulate.SimulationSettings;
import dev.flywheel.generator.Generator;
import dev.flywheel.generator.GeneratorConfig;
import dev.flywheel.generator.GeneratorListener;
import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.runtime.topics.Topics;
import dev.flywheel.schemas.PolicyVersion;
import dev.flywheel.schemas.Prompt;
import dev.flywheel.schemas.serde.AvroSerdes;
import dev.flywheel.schemas.serde.TrustedSchemaPackage;
import dev.flywheel.scorer.Scorer;
import dev.flywheel.scorer.ScorerConfig;
import dev.flywheel.scorer.reward.RewardMode;
import dev.flywheel.scorer.reward.RewardRecipe;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A short real pipeline on one broker, in this JVM: the shipped models, simulated users sending prompts, the
 * generator sampling rollouts and the scorer scoring them (reward model plus the task's judge) into 2 s windows of
 * statistics on fw.metrics. Policy versions are published as the learner would publish them.
 */
final class ShortPipeline implements AutoCloseable {

    /** The generator's consumer group, whose lag the dashboard shows. */
    static final String GENERATOR_GROUP = "flywheel-generator";
    /** The scorer's Kafka Streams application id, its consumer group. */
    static final String SCORER_GROUP = "flywheel-scorer";

    private final KafkaSettings kafka;
    private final Topics topics = Topics.defaults();
    private final String policySha;
    private final Map<String, Double> shippedEval;
    private final Scorer scorer;
    private Generator generator;
    private SimulatedUsers users;

    private ShortPipeline(KafkaSettings kafka, Path models, MeterRegistry registry) {
        this.kafka = kafka;
        ModelStore store = ShippedModels.install(models);
        this.policySha = store.ref(Bootstrap.POLICY_REF).orElseThrow();
        this.shippedEval = shippedEval(ShippedModels.manifest());
        publishPolicy(0, null, "bootstrap");
        this.scorer = Scorer.start(kafka, ScorerConfig.builder(models).topics(topics)
                .applicationId(SCORER_GROUP).reward(RewardRecipe.of(RewardMode.RM_AND_JUDGE)).statsWindow(Duration.ofSeconds(2), Duration.ZERO)
                .stateDir(models.resolve("scorer-state")).build(), registry);
        this.generator = Generator.start(kafka, GeneratorConfig.builder(models).topics(topics).samplesPerPrompt(2)
                .sampling(SamplingParams.of(16, 7L)).maxDownstreamLag(0).build(), registry, GeneratorListener.silent());
        this.users = SimulatedUsers.start(kafka, topics, SimulationSettings.defaults("dash", 11, BootstrapOptions.SHIPPED_SEED)
                .withLoad(4.0, null).withTiming(Duration.ofMillis(500), 0.0, Duration.ZERO, Duration.ofSeconds(1)));
    }

    /** Installs the shipped models into {@code models}, publishes policy v0 and starts scorer, generator and users. */
    static ShortPipeline start(KafkaSettings kafka, Path models, MeterRegistry registry) {
        return new ShortPipeline(kafka, models, registry);
    }

    /**
     * Publishes policy {@code version} as a learner would: here always the shipped weights, so its evaluation is the
     * shipped bootstrap's (sampled at T=1) and its KL to the reference is 0.
     */
    void publishPolicy(long version, Long parent, String algo) {
        TrustedSchemaPackage.ensureTrusted();
        Map<String, Double> metrics = new LinkedHashMap<>(shippedEval);
        metrics.put("kl.mean", 0.0);
        PolicyVersion record = PolicyVersion.newBuilder().setId("policy@" + version).setTs(Instant.now())
                .setModel("policy").setVersion(version).setParent(parent).setStep(version * 50).setSha256(policySha)
                .setUri(ModelStore.storeUri(policySha).toString()).setSizeBytes(0).setBeta(0.05).setAlgo(algo)
                .setMetrics(metrics).build();
        String topic = topics.policyVersions().name();
        send(topic, "policy", AvroSerdes.policyVersion().serializer().serialize(topic, record));
    }

    /** The eval metrics every published version carries (the shipped models' own report). */
    Map<String, Double> evalMetrics() {
        return shippedEval;
    }

    /** Stops the users, lets the generator finish every prompt they sent, then stops the generator. */
    void stopTraffic(Duration timeout) throws InterruptedException {
        users.close();
        users = null;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (generatorPromptsBehind() > 0 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(200);
        }
        generator.close();
        generator = null;
    }

    /** Sends {@code count} prompts nobody reads any more: the generator's group lags by exactly that many. */
    void sendUnreadPrompts(int count) {
        String topic = topics.prompts().name();
        for (int i = 0; i < count; i++) {
            Prompt prompt = Prompt.newBuilder().setId("unread-" + i).setTs(Instant.now()).setTenant("test")
                    .setText("Q: 2+2?\nA:").setMetadata(Map.of("task.answer", "4")).build();
            send(topic, prompt.getId(), AvroSerdes.prompt().serializer().serialize(topic, prompt));
        }
    }

    private long generatorPromptsBehind() {
        try (var admin = org.apache.kafka.clients.admin.Admin.create(kafka.adminProperties())) {
            var committed = admin.listConsumerGroupOffsets(GENERATOR_GROUP).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            var latest = admin.listOffsets(committed.keySet().stream().collect(java.util.stream.Collectors.toMap(
                    tp -> tp, tp -> org.apache.kafka.clients.admin.OffsetSpec.latest()))).all().get(30, TimeUnit.SECONDS);
            return committed.entrySet().stream()
                    .mapToLong(e -> latest.get(e.getKey()).offset() - e.getValue().offset()).sum()
                    + (committed.isEmpty() ? 1 : 0);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the generator's offsets: " + e, e);
        }
    }

    private void send(String topic, String key, byte[] value) {
        Properties props = kafka.clientProperties(Map.of(ProducerConfig.ACKS_CONFIG, "all"));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot send to " + topic + ": " + e, e);
        }
    }

    private static Map<String, Double> shippedEval(BootstrapManifest manifest) {
        Map<String, Double> eval = new LinkedHashMap<>();
        for (String side : new String[] {"in", "out"}) {
            for (String rate : new String[] {"right", "refuse", "wrong"}) {
                String key = "report.sft.sampled-T1." + (side.equals("in") ? "in" : "out-of") + "-knowledge." + rate;
                eval.put("eval." + side + "." + rate, Double.parseDouble(manifest.get(key).orElseThrow(
                        () -> new IllegalStateException("the shipped manifest has no " + key))));
            }
        }
        return eval;
    }

    @Override
    public void close() {
        if (users != null) {
            users.close();
        }
        if (generator != null) {
            generator.close();
        }
        scorer.close();
    }
}
