package dev.flywheel.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flywheel.runtime.embedded.EmbeddedKafkaExtension;
import dev.flywheel.runtime.topics.Topics;
import dev.flywheel.schemas.Prompt;
import dev.flywheel.schemas.Rollout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Exactly once across a generator JVM killed without any chance to clean up. */
class GeneratorCrashTest {
    static final int SAMPLES = 3;
    private static final Logger LOG = LoggerFactory.getLogger(GeneratorCrashTest.class);
    private static final Duration PATIENCE = Duration.ofSeconds(240);

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.singleNode();

    @Test
    void generatorKilledAndHaltedInsideATransactionStillWritesExactlyNRolloutsPerPrompt(@TempDir Path dir) throws Exception {
        TestModels models = TestModels.bootstrap(dir.resolve("models"));
        Path logs = dir.resolve("logs");
        Topics topics = Topics.withPrefix("crash.");
        String group = GeneratorProcess.consumerGroup(topics);
        int total = 160;
        List<Long> killedAt = new ArrayList<>();
        try (GeneratorKafka kafka = new GeneratorKafka(KAFKA.bootstrapServers(), topics)) {
            List<Prompt> prompts = TestModels.prompts("crash", total);
            kafka.producePrompts(prompts);

            // First stop: kill -9 from outside, wherever it lands once a dozen prompts are through.
            Process killed = launch(models, topics, logs.resolve("run-killed.log"));
            await().atMost(PATIENCE).until(() -> committedPrompts(kafka, group) >= 12 || !killed.isAlive());
            assertThat(killed.isAlive()).as("generator process still running; see its log in " + logs).isTrue();
            killed.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
            killedAt.add(committedPrompts(kafka, group));
            LOG.info("killed generator after {} committed prompts; transaction left open: {}", killedAt.get(0),
                    kafka.transactionOpen(topics.rollouts().name()));

            // Second stop: the restarted process halts itself when the broker acknowledges its 181st rollout record,
            // about fifteen batches in: the record's transaction is open then, with records already in the log.
            Process halted = launch(models, topics, logs.resolve("run-halted.log"), 15 * 4 * SAMPLES + 1);
            assertThat(halted.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("process halted itself").isTrue();
            assertThat(halted.exitValue()).isEqualTo(137);
            killedAt.add(committedPrompts(kafka, group));
            assertThat(kafka.transactionOpen(topics.rollouts().name()))
                    .as("the halted generator left a transaction open on the rollout topic").isTrue();
            LOG.info("halted generator inside an open transaction after {} committed prompts", killedAt.get(1));

            assertThat(killedAt).as("both stops came in the middle of the run").allSatisfy(n -> assertThat(n).isLessThan(total));

            Process last = launch(models, topics, logs.resolve("run-final.log"));
            await().atMost(PATIENCE).until(() -> kafka.consumedAllPrompts(group));
            last.destroy();
            if (!last.waitFor(60, TimeUnit.SECONDS)) {
                last.destroyForcibly();
            }

            List<Rollout> rollouts = kafka.committedRollouts();
            Map<String, Long> perPrompt = rollouts.stream().collect(Collectors.groupingBy(Rollout::getPromptId,
                    Collectors.counting()));
            assertThat(perPrompt.keySet()).isEqualTo(prompts.stream().map(Prompt::getId).collect(Collectors.toSet()));
            assertThat(perPrompt).allSatisfy((prompt, count) -> assertThat(count).as(prompt).isEqualTo((long) SAMPLES));
            assertThat(rollouts).hasSize(total * SAMPLES);
            assertThat(rollouts.stream().map(Rollout::getId).distinct().count()).isEqualTo((long) total * SAMPLES);
            LOG.info("exactly {} rollouts for each of {} prompts after stops at {} committed prompts", SAMPLES, total,
                    killedAt);
        }
    }

    private static long committedPrompts(GeneratorKafka kafka, String group) {
        return kafka.committedOffsets(group).values().stream().mapToLong(Long::longValue).sum();
    }

    private static Process launch(TestModels models, Topics topics, Path log, long... haltAfterAcks) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1", "-Xss4m", "-cp", System.getProperty("java.class.path"),
                GeneratorProcess.class.getName(), KAFKA.bootstrapServers(), models.directory().toString(), topics.prefix()));
        for (long acks : haltAfterAcks) {
            command.add(Long.toString(acks));
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("DJL_OFFLINE", "true");
        Files.createDirectories(log.getParent());
        LOG.info("launching generator process, log in {}", log);
        return builder.start();
    }
}
