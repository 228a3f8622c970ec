package dev.flywheel.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.flywheel.core.model.TransformerModel;
import dev.flywheel.core.sampling.SamplingParams;
import dev.flywheel.core.store.StoredCheckpoint;
import dev.flywheel.generator.backpressure.PauseReason;
import dev.flywheel.generator.metrics.GeneratorMetrics;
import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.runtime.deadletter.DeadLetterHeaders;
import dev.flywheel.runtime.deadletter.DeadLetters;
import dev.flywheel.runtime.embedded.EmbeddedKafkaExtension;
import dev.flywheel.runtime.topics.Topics;
import dev.flywheel.schemas.Prompt;
import dev.flywheel.schemas.Rollout;
import dev.flywheel.schemas.serde.AvroSerdes;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The generator against a real (embedded KRaft) broker and a quick-bootstrapped model store. */
class GeneratorTest {
    private static final Logger LOG = LoggerFactory.getLogger(GeneratorTest.class);
    private static final Duration PATIENCE = Duration.ofSeconds(180);
    private static final SamplingParams SAMPLING = SamplingParams.of(12, 42L);

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.singleNode();

    static TestModels models;

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final RecordingListener listener = new RecordingListener();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @TempDir
    static Path modelDir;

    @BeforeAll
    static void bootstrapModels() {
        models = TestModels.bootstrap(modelDir);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    // -------------------------------------------------------------------------------------------- must-show 1

    @Test
    void everyPromptGetsExactlyNRolloutsWhoseBehaviourLogProbsAreThePolicysOwn() {
        GeneratorKafka kafka = kafka("exact.");
        int n = 4;
        List<Prompt> prompts = TestModels.prompts("exact", 200);
        kafka.producePrompts(prompts);
        long started = System.nanoTime();
        start(config(kafka).samplesPerPrompt(n).batches(8, Duration.ofMillis(20)).build());

        await().atMost(PATIENCE).until(() -> listener.committedPrompts() == 200);
        double seconds = (System.nanoTime() - started) / 1e9;
        var batchLatency = registry.get(GeneratorMetrics.BATCH_LATENCY).timer();
        LOG.info("200 prompts -> {} rollouts, {} tokens in {} s (start-up included): {} prompts/s, {} tokens/s; "
                        + "{} batches, mean batch latency {} ms, max {} ms", counter(GeneratorMetrics.ROLLOUTS),
                counter(GeneratorMetrics.TOKENS), String.format("%.1f", seconds), String.format("%.1f", 200 / seconds),
                String.format("%.0f", counter(GeneratorMetrics.TOKENS) / seconds), batchLatency.count(),
                String.format("%.0f", batchLatency.mean(java.util.concurrent.TimeUnit.MILLISECONDS)),
                String.format("%.0f", batchLatency.max(java.util.concurrent.TimeUnit.MILLISECONDS)));
        List<Rollout> rollouts = kafka.committedRollouts();

        assertThat(rollouts).hasSize(200 * n);
        assertThat(rollouts.stream().map(Rollout::getId).collect(Collectors.toSet())).as("ids unique").hasSize(200 * n);
        Map<String, List<Rollout>> byPrompt = GeneratorKafka.byPrompt(rollouts);
        assertThat(byPrompt.keySet()).isEqualTo(prompts.stream().map(Prompt::getId).collect(Collectors.toSet()));
        byPrompt.values().forEach(group -> {
            assertThat(group).extracting(Rollout::getGroupIndex).containsExactlyInAnyOrder(0, 1, 2, 3);
            assertThat(group).extracting(Rollout::getGroupId).containsOnly(group.get(0).getGroupId());
            assertThat(group).allSatisfy(r -> assertThat(r.getGroupSize()).isEqualTo(n));
        });
        assertThat(rollouts).allSatisfy(r -> {
            assertThat(r.getPolicyVersion()).isZero();
            assertThat(r.getResponseTokenIds()).isNotEmpty();
            assertThat(r.getBehaviourLogProbs()).hasSameSizeAs(r.getResponseTokenIds());
            assertThat(r.getBehaviourLogProbs()).allSatisfy(lp -> assertThat(lp).isLessThanOrEqualTo(0f).isFinite());
            assertThat(r.getSampling().getMaxNewTokens()).isEqualTo(12);
        });

        try (TransformerModel policy = models.policyV0()) {
            assertLogProbsMatch(policy, rollouts);
            Prompt first = prompts.get(0);
            Rollout firstRollout = byPrompt.get(first.getId()).get(0);
            assertThat(firstRollout.getPromptTokenIds()).containsExactlyElementsOf(
                    IntStream.of(policy.tokenizer().encodePrompt(first.getText())).boxed().toList());
            assertThat(firstRollout.getMetadata()).isEqualTo(first.getMetadata());
        }
        assertThat(counter(GeneratorMetrics.PROMPTS)).isEqualTo(200.0);
        assertThat(counter(GeneratorMetrics.ROLLOUTS)).isEqualTo(200.0 * n);
        assertThat(counter(GeneratorMetrics.TOKENS))
                .isEqualTo(rollouts.stream().mapToInt(r -> r.getResponseTokenIds().size()).sum());
        assertThat(listener.batches()).allSatisfy(b -> assertThat(b.prompts()).isBetween(1, 8));
    }

    @Test
    void samePromptsGiveTheSameRolloutIdsAndResponsesOnAReplay() {
        List<Prompt> prompts = TestModels.prompts("replay", 12);
        GeneratorKafka first = kafka("replay-a.");
        GeneratorKafka second = kafka("replay-b.");
        first.producePrompts(prompts);
        second.producePrompts(prompts);
        // Different batch sizes: a prompt's responses must not depend on which prompts shared its batch.
        start(config(first).instanceId("replay-a").batches(5, Duration.ofMillis(20)).build());
        start(config(second).instanceId("replay-b").batches(2, Duration.ofMillis(20)).build());
        await().atMost(PATIENCE).until(() -> listener.committedPrompts() == 24);

        Map<String, List<Integer>> a = tokensById(first.committedRollouts());
        Map<String, List<Integer>> b = tokensById(second.committedRollouts());
        assertThat(a).hasSize(12 * 4).isEqualTo(b);
    }

    // ------------------------------------------------------------------------------------------ bad input

    @Test
    void badPromptsGoToTheDeadLetterTopicWithTheReasonAndTheServiceGoesOn() {
        GeneratorKafka kafka = kafka("bad.");
        String topic = kafka.topics().prompts().name();
        Prompt empty = prompt("empty", "   ");
        Prompt tooLong = prompt("long", "Q: " + "x".repeat(100) + "?\nA:");
        Prompt good = TestModels.prompts("good", 1).get(0);
        List<ProducerRecord<byte[], byte[]>> records = List.of(
                new ProducerRecord<>(topic, 0, GeneratorKafka.bytes("garbage"), GeneratorKafka.bytes("not avro")),
                new ProducerRecord<>(topic, 0, GeneratorKafka.bytes("empty"), encode(topic, empty)),
                new ProducerRecord<>(topic, 0, GeneratorKafka.bytes("long"), encode(topic, tooLong)),
                new ProducerRecord<>(topic, 0, GeneratorKafka.bytes(good.getId()), encode(topic, good)));
        kafka.produce(records);
        start(config(kafka).build());

        await().atMost(PATIENCE).until(() -> listener.committedPrompts() == 4);
        List<ConsumerRecord<byte[], byte[]>> dead = kafka.readCommitted(kafka.topics().deadLetters().name());
        assertThat(dead).hasSize(3);
        assertThat(dead).extracting(r -> DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.SOURCE_OFFSET))
                .containsExactly("0", "1", "2");
        assertThat(dead).extracting(r -> DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.ERROR_MESSAGE))
                .satisfiesExactly(
                        m -> assertThat(m).contains("partition 0 offset 0").contains("not Avro single-object encoding"),
                        m -> assertThat(m).contains("prompt empty has empty text"),
                        m -> assertThat(m).contains("prompt long is 108 tokens").contains("context is 64"));
        assertThat(dead.get(0).value()).isEqualTo(GeneratorKafka.bytes("not avro"));
        assertThat(kafka.committedRollouts()).hasSize(4).allSatisfy(r -> assertThat(r.getPromptId()).isEqualTo(good.getId()));
        assertThat(registry.get(DeadLetters.COUNTER).tag("source_topic", topic).counter().count()).isEqualTo(3.0);
        assertThat(registry.get(GeneratorMetrics.REJECTED_PROMPTS).tag("reason", "too-long").counter().count()).isEqualTo(1.0);
    }

    // -------------------------------------------------------------------------------------------- must-show 2

    @Test
    void versionPublishedMidStreamIsSwappedInBetweenBatchesAndUsedByEveryLaterRollout() {
        GeneratorKafka kafka = kafka("swap.");
        StoredCheckpoint v1 = models.storeFreshPolicy(101);
        List<Prompt> prompts = TestModels.prompts("swap", 160);
        kafka.producePrompts(prompts);
        start(config(kafka).batches(4, Duration.ofMillis(20)).samplesPerPrompt(2).build());

        await().atMost(PATIENCE).until(() -> listener.committedPrompts() >= 20);
        kafka.publish(TestModels.versionOf(1, v1));
        await().atMost(PATIENCE).until(() -> listener.committedPrompts() == 160);

        List<RecordingListener.Event> events = listener.events;
        int swapAt = indexOf(events, "swap");
        assertThat(swapAt).as("swapped while prompts were flowing").isPositive();
        assertThat(events.subList(0, swapAt)).filteredOn(e -> e.kind().equals("batch"))
                .isNotEmpty().allSatisfy(e -> assertThat(e.version()).isZero());
        assertThat(events.subList(swapAt, events.size())).filteredOn(e -> e.kind().equals("batch"))
                .isNotEmpty().allSatisfy(e -> assertThat(e.version()).isEqualTo(1));

        List<Rollout> rollouts = kafka.committedRollouts();
        assertThat(rollouts).hasSize(320);
        Map<Long, List<Rollout>> byVersion = rollouts.stream().collect(Collectors.groupingBy(Rollout::getPolicyVersion));
        assertThat(byVersion.keySet()).containsExactlyInAnyOrder(0L, 1L);
        // One producer commits batch after batch, so per partition the log holds the batches in order: no version
        // may come back after a later one, and every prompt's group carries a single version.
        for (int partition = 0; partition < 3; partition++) {
            List<Long> versions = versionsOnPartition(kafka, partition);
            assertThat(versions).as("versions on partition %d never go back", partition).isSorted();
        }
        GeneratorKafka.byPrompt(rollouts).values().forEach(group ->
                assertThat(group).extracting(Rollout::getPolicyVersion).containsOnly(group.get(0).getPolicyVersion()));
        try (TransformerModel policy = models.load(v1.sha256())) {
            assertLogProbsMatch(policy, byVersion.get(1L));
        }
        var swapLatency = registry.get(GeneratorMetrics.SWAP_LATENCY).timer();
        assertThat(swapLatency.count()).isEqualTo(1);
        LOG.info("swap latency (version read -> first batch sampled with it): {} ms; {} rollouts on v0, {} on v1",
                swapLatency.max(java.util.concurrent.TimeUnit.MILLISECONDS), byVersion.get(0L).size(), byVersion.get(1L).size());
        assertThat(registry.get(GeneratorMetrics.POLICY_VERSION).gauge().value()).isEqualTo(1.0);
    }

    // -------------------------------------------------------------------------------------------- must-show 3

    @Test
    void versionWithACorruptBlobIsRejectedAndSamplingGoesOnWithTheOldVersion() throws Exception {
        GeneratorKafka kafka = kafka("corrupt.");
        StoredCheckpoint v1 = models.storeFreshPolicy(202);
        byte[] bytes = Files.readAllBytes(v1.path());
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(v1.path(), bytes);
        kafka.producePrompts(TestModels.prompts("before", 8));
        start(config(kafka).maxStaleness(0).build());
        await().atMost(PATIENCE).until(() -> listener.committedPrompts() == 8);

        kafka.publish(TestModels.versionOf(1, v1));
        await().atMost(PATIENCE).until(() -> !listener.ofKind("rejected").isEmpty());
        kafka.producePrompts(TestModels.prompts("after", 8));
        await().atMost(PATIENCE).until(() -> listener.committedPrompts() == 16);

        assertThat(listener.ofKind("rejected")).singleElement().satisfies(e -> {
            assertThat(e.version()).isEqualTo(1);
            assertThat(e.detail()).startsWith("corrupt: ").contains("expected sha256 " + v1.sha256());
        });
        assertThat(listener.ofKind("swap")).isEmpty();
        assertThat(listener.ofKind("paused")).as("a rejected version does not count as staleness").isEmpty();
        assertThat(kafka.committedRollouts()).hasSize(64).allSatisfy(r -> assertThat(r.getPolicyVersion()).isZero());
        assertThat(registry.get(GeneratorMetrics.REJECTED_VERSIONS).tag("reason", "corrupt").counter().count()).isEqualTo(1.0);
    }

    // -------------------------------------------------------------------------------------------- must-show 5

    @Test
    void pausesWhileTheDownstreamGroupLagsAndResumesOnceItDrains() throws InterruptedException {
        GeneratorKafka kafka = kafka("lag.");
        int bound = 20;
        int n = 2;
        int batchSize = 2;
        kafka.producePrompts(TestModels.prompts("lag", 60));
        String rolloutTopic = kafka.topics().rollouts().name();
        start(config(kafka).samplesPerPrompt(n).batches(batchSize, Duration.ofMillis(20)).maxDownstreamLag(bound)
                .downstreamTopic(rolloutTopic).downstreamGroup("drainer").lagCheckInterval(Duration.ofMillis(200))
                .build());

        await().atMost(PATIENCE).until(() -> !listener.ofKind("paused").isEmpty());
        assertThat(listener.ofKind("paused").get(0).reason()).isEqualTo(PauseReason.DOWNSTREAM_LAG);
        int ceiling = bound + batchSize * n;
        // While nobody drains, the generator must stay paused with at most one batch beyond the bound.
        await().during(Duration.ofSeconds(3)).atMost(PATIENCE).until(() ->
                rolloutCount(kafka) <= ceiling && listener.ofKind("resumed").isEmpty());
        assertThat(pausedGauge(PauseReason.DOWNSTREAM_LAG)).isEqualTo(1.0);
        int whilePaused = listener.committedPrompts();
        assertThat(whilePaused).isLessThan(60);

        AtomicInteger drained = new AtomicInteger();
        AtomicBoolean draining = new AtomicBoolean(true);
        Thread drainer = drain(rolloutTopic, "drainer", drained, draining);
        await().atMost(PATIENCE).until(() -> listener.committedPrompts() == 60);
        draining.set(false);
        drainer.join();

        assertThat(listener.ofKind("resumed")).isNotEmpty();
        assertThat(kafka.committedRollouts()).hasSize(60 * n);
        LOG.info("downstream lag: paused {} time(s) with bound {}, {} prompts done while paused, drained {} records",
                listener.ofKind("paused").size(), bound, whilePaused, drained.get());
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private GeneratorKafka kafka(String prefix) {
        GeneratorKafka kafka = new GeneratorKafka(KAFKA.bootstrapServers(), Topics.withPrefix(prefix));
        closeables.add(kafka);
        return kafka;
    }

    private GeneratorConfig.Builder config(GeneratorKafka kafka) {
        return GeneratorConfig.builder(models.directory()).topics(kafka.topics()).instanceId(kafka.topics().prefix() + "gen")
                .consumerGroup(kafka.topics().prefix() + "generator").sampling(SAMPLING).maxDownstreamLag(0);
    }

    private Generator start(GeneratorConfig config) {
        Generator generator = Generator.start(KafkaSettings.of(KAFKA.bootstrapServers()), config, registry, listener);
        closeables.add(generator);
        return generator;
    }

    private static void assertLogProbsMatch(TransformerModel policy, List<Rollout> rollouts) {
        for (int from = 0; from < rollouts.size(); from += 64) {
            List<Rollout> chunk = rollouts.subList(from, Math.min(rollouts.size(), from + 64));
            List<int[]> prompts = chunk.stream().map(r -> ints(r.getPromptTokenIds())).toList();
            List<int[]> responses = chunk.stream().map(r -> ints(r.getResponseTokenIds())).toList();
            float[][] expected = policy.logProbs(prompts, responses, chunk.get(0).getSampling().getTemperature());
            for (int i = 0; i < chunk.size(); i++) {
                List<Float> actual = chunk.get(i).getBehaviourLogProbs();
                assertThat(expected[i]).hasSize(actual.size());
                for (int t = 0; t < actual.size(); t++) {
                    assertThat(actual.get(t)).as("rollout %s token %d", chunk.get(i).getId(), t)
                            .isCloseTo(expected[i][t], within(1e-4f));
                }
            }
        }
    }

    private static int[] ints(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Map<String, List<Integer>> tokensById(List<Rollout> rollouts) {
        return rollouts.stream().collect(Collectors.toMap(Rollout::getId, Rollout::getResponseTokenIds));
    }

    private static int indexOf(List<RecordingListener.Event> events, String kind) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).kind().equals(kind)) {
                return i;
            }
        }
        return -1;
    }

    private static List<Long> versionsOnPartition(GeneratorKafka kafka, int partition) {
        String topic = kafka.topics().rollouts().name();
        return kafka.readCommitted(topic).stream().filter(r -> r.partition() == partition)
                .map(r -> AvroSerdes.rollout().deserializer().deserialize(topic, r.value()).getPolicyVersion()).toList();
    }

    private static int rolloutCount(GeneratorKafka kafka) {
        return kafka.committedRollouts().size();
    }

    private double counter(String name) {
        return registry.get(name).counter().count();
    }

    private double pausedGauge(PauseReason reason) {
        return registry.get(GeneratorMetrics.PAUSED).tag("reason", reason.tag()).gauge().value();
    }

    private static Prompt prompt(String id, String text) {
        return Prompt.newBuilder().setId(id).setTs(Instant.now()).setText(text).build();
    }

    private static byte[] encode(String topic, Prompt prompt) {
        return AvroSerdes.prompt().serializer().serialize(topic, prompt);
    }

    /** A consumer in {@code group} that reads {@code topic} and commits while {@code draining}. */
    private static Thread drain(String topic, String group, AtomicInteger drained, AtomicBoolean draining) {
        Thread thread = new Thread(() -> {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer.subscribe(Set.of(topic));
                while (draining.get()) {
                    int count = consumer.poll(Duration.ofMillis(100)).count();
                    drained.addAndGet(count);
                    consumer.commitSync();
                }
            }
        }, "drainer");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
