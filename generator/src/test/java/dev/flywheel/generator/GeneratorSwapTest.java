package dev.flywheel.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flywheel.core.model.TransformerModel;
import dev.flywheel.core.store.StoredCheckpoint;
import dev.flywheel.generator.metrics.GeneratorMetrics;
import dev.flywheel.runtime.embedded.EmbeddedKafkaExtension;
import dev.flywheel.schemas.Prompt;
import dev.flywheel.schemas.Rollout;
import dev.flywheel.schemas.serde.AvroSerdes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Policy versions published while the generator runs: hot swap between batches, and rejection of a bad blob. */
class GeneratorSwapTest {
    private static final Logger LOG = LoggerFactory.getLogger(GeneratorSwapTest.class);
    private static final Duration PATIENCE = Duration.ofSeconds(180);

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.singleNode();

    @TempDir
    static Path modelDir;
    static TestModels models;

    private GeneratorRun run;

    @BeforeAll
    static void bootstrapModels() {
        models = TestModels.bootstrap(modelDir);
    }

    @BeforeEach
    void connect() {
        run = new GeneratorRun(KAFKA.bootstrapServers(), models);
    }

    @AfterEach
    void closeAll() throws Exception {
        run.close();
    }

    // -------------------------------------------------------------------------------------------- must-show 2

    @Test
    void versionPublishedMidStreamIsSwappedInBetweenBatchesAndUsedByEveryLaterRollout() {
        GeneratorKafka kafka = run.kafka("swap.");
        StoredCheckpoint v1 = models.storeFreshPolicy(101);
        List<Prompt> prompts = TestModels.prompts("swap", 160);
        kafka.producePrompts(prompts);
        run.start(run.config(kafka).batches(4, Duration.ofMillis(20)).samplesPerPrompt(2).build());

        await().atMost(PATIENCE).until(() -> run.listener.committedPrompts() >= 20);
        kafka.publish(TestModels.versionOf(1, v1));
        await().atMost(PATIENCE).until(() -> run.listener.committedPrompts() == 160);

        List<RecordingListener.Event> events = run.listener.events;
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
            GeneratorRun.assertLogProbsMatch(policy, byVersion.get(1L));
        }
        var swapLatency = run.registry.get(GeneratorMetrics.SWAP_LATENCY).timer();
        assertThat(swapLatency.count()).isEqualTo(1);
        LOG.info("swap latency (version read -> first batch sampled with it): {} ms; {} rollouts on v0, {} on v1",
                swapLatency.max(TimeUnit.MILLISECONDS), byVersion.get(0L).size(), byVersion.get(1L).size());
        assertThat(run.registry.get(GeneratorMetrics.POLICY_VERSION).gauge().value()).isEqualTo(1.0);
    }

    // -------------------------------------------------------------------------------------------- must-show 3

    @Test
    void versionWithACorruptBlobIsRejectedAndSamplingGoesOnWithTheOldVersion() throws Exception {
        GeneratorKafka kafka = run.kafka("corrupt.");
        StoredCheckpoint v1 = models.storeFreshPolicy(202);
        byte[] bytes = Files.readAllBytes(v1.path());
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(v1.path(), bytes);
        kafka.producePrompts(TestModels.prompts("before", 8));
        run.start(run.config(kafka).maxStaleness(0).build());
        await().atMost(PATIENCE).until(() -> run.listener.committedPrompts() == 8);

        kafka.publish(TestModels.versionOf(1, v1));
        await().atMost(PATIENCE).until(() -> !run.listener.ofKind("rejected").isEmpty());
        kafka.producePrompts(TestModels.prompts("after", 8));
        await().atMost(PATIENCE).until(() -> run.listener.committedPrompts() == 16);

        assertThat(run.listener.ofKind("rejected")).singleElement().satisfies(e -> {
            assertThat(e.version()).isEqualTo(1);
            assertThat(e.detail()).startsWith("corrupt: ").contains("expected sha256 " + v1.sha256());
        });
        assertThat(run.listener.ofKind("swap")).isEmpty();
        assertThat(run.listener.ofKind("paused")).as("a rejected version does not count as staleness").isEmpty();
        assertThat(kafka.committedRollouts()).hasSize(64).allSatisfy(r -> assertThat(r.getPolicyVersion()).isZero());
        assertThat(run.registry.get(GeneratorMetrics.REJECTED_VERSIONS).tag("reason", "corrupt").counter().count()).isEqualTo(1.0);
    }

    // ---------------------------------------------------------------------------------------------- helpers

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

}
