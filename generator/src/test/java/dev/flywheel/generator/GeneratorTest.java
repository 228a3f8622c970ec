package dev.flywheel.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flywheel.core.model.TransformerModel;
import dev.flywheel.generator.metrics.GeneratorMetrics;
import dev.flywheel.runtime.deadletter.DeadLetterHeaders;
import dev.flywheel.runtime.deadletter.DeadLetters;
import dev.flywheel.runtime.embedded.EmbeddedKafkaExtension;
import dev.flywheel.schemas.Prompt;
import dev.flywheel.schemas.Rollout;
import dev.flywheel.schemas.serde.AvroSerdes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Prompts in, rollouts out: counts, ids, log-probs, determinism and bad input, on the embedded broker. */
class GeneratorTest {
    private static final Logger LOG = LoggerFactory.getLogger(GeneratorTest.class);
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

    // -------------------------------------------------------------------------------------------- must-show 1

    @Test
    void everyPromptGetsExactlyNRolloutsWhoseBehaviourLogProbsAreThePolicysOwn() {
        GeneratorKafka kafka = run.kafka("exact.");
        int n = 4;
        List<Prompt> prompts = TestModels.prompts("exact", 200);
        kafka.producePrompts(prompts);
        long started = System.nanoTime();
        run.start(run.config(kafka).samplesPerPrompt(n).batches(8, Duration.ofMillis(20)).build());

        await().atMost(PATIENCE).until(() -> run.listener.committedPrompts() == 200);
        double seconds = (System.nanoTime() - started) / 1e9;
        var batchLatency = run.registry.get(GeneratorMetrics.BATCH_LATENCY).timer();
        LOG.info("200 prompts -> {} rollouts, {} tokens in {} s (start-up included): {} prompts/s, {} tokens/s; "
                        + "{} batches, mean batch latency {} ms, max {} ms", run.counter(GeneratorMetrics.ROLLOUTS),
                run.counter(GeneratorMetrics.TOKENS), String.format("%.1f", seconds), String.format("%.1f", 200 / seconds),
                String.format("%.0f", run.counter(GeneratorMetrics.TOKENS) / seconds), batchLatency.count(),
                String.format("%.0f", batchLatency.mean(TimeUnit.MILLISECONDS)),
                String.format("%.0f", batchLatency.max(TimeUnit.MILLISECONDS)));
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
            GeneratorRun.assertLogProbsMatch(policy, rollouts);
            Prompt first = prompts.get(0);
            Rollout firstRollout = byPrompt.get(first.getId()).get(0);
            assertThat(firstRollout.getPromptTokenIds()).containsExactlyElementsOf(
                    IntStream.of(policy.tokenizer().encodePrompt(first.getText())).boxed().toList());
            assertThat(firstRollout.getMetadata()).isEqualTo(first.getMetadata());
        }
        assertThat(run.counter(GeneratorMetrics.PROMPTS)).isEqualTo(200.0);
        assertThat(run.counter(GeneratorMetrics.ROLLOUTS)).isEqualTo(200.0 * n);
        assertThat(run.counter(GeneratorMetrics.TOKENS))
                .isEqualTo(rollouts.stream().mapToInt(r -> r.getResponseTokenIds().size()).sum());
        assertThat(run.listener.batches()).allSatisfy(b -> assertThat(b.prompts()).isBetween(1, 8));
    }

    @Test
    void samePromptsGiveTheSameRolloutIdsAndResponsesOnAReplay() {
        List<Prompt> prompts = TestModels.prompts("replay", 12);
        GeneratorKafka first = run.kafka("replay-a.");
        GeneratorKafka second = run.kafka("replay-b.");
        first.producePrompts(prompts);
        second.producePrompts(prompts);
        // Different batch sizes: a prompt's responses must not depend on which prompts shared its batch.
        run.start(run.config(first).instanceId("replay-a").batches(5, Duration.ofMillis(20)).build());
        run.start(run.config(second).instanceId("replay-b").batches(2, Duration.ofMillis(20)).build());
        await().atMost(PATIENCE).until(() -> run.listener.committedPrompts() == 24);

        Map<String, List<Integer>> a = tokensById(first.committedRollouts());
        Map<String, List<Integer>> b = tokensById(second.committedRollouts());
        assertThat(a).hasSize(12 * 4).isEqualTo(b);
    }

    // ------------------------------------------------------------------------------------------ bad input

    @Test
    void badPromptsGoToTheDeadLetterTopicWithTheReasonAndTheServiceGoesOn() {
        GeneratorKafka kafka = run.kafka("bad.");
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
        run.start(run.config(kafka).build());

        await().atMost(PATIENCE).until(() -> run.listener.committedPrompts() == 4);
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
        assertThat(run.registry.get(DeadLetters.COUNTER).tag("source_topic", topic).counter().count()).isEqualTo(3.0);
        assertThat(run.registry.get(GeneratorMetrics.REJECTED_PROMPTS).tag("reason", "too-long").counter().count()).isEqualTo(1.0);
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private static Map<String, List<Integer>> tokensById(List<Rollout> rollouts) {
        return rollouts.stream().collect(Collectors.toMap(Rollout::getId, Rollout::getResponseTokenIds));
    }

    private static Prompt prompt(String id, String text) {
        return Prompt.newBuilder().setId(id).setTs(Instant.now()).setText(text).build();
    }

    private static byte[] encode(String topic, Prompt prompt) {
        return AvroSerdes.prompt().serializer().serialize(topic, prompt);
    }

}
