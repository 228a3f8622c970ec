package dev.flywheel.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flywheel.generator.backpressure.PauseReason;
import dev.flywheel.generator.metrics.GeneratorMetrics;
import dev.flywheel.runtime.embedded.EmbeddedKafkaExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Cross-service backpressure: the generator pauses while the downstream group lags and resumes once it drains. */
class GeneratorBackpressureTest {
    private static final Logger LOG = LoggerFactory.getLogger(GeneratorBackpressureTest.class);
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

    // -------------------------------------------------------------------------------------------- must-show 5

    @Test
    void pausesWhileTheDownstreamGroupLagsAndResumesOnceItDrains() throws InterruptedException {
        GeneratorKafka kafka = run.kafka("lag.");
        int bound = 20;
        int n = 2;
        int batchSize = 2;
        kafka.producePrompts(TestModels.prompts("lag", 60));
        String rolloutTopic = kafka.topics().rollouts().name();
        run.start(run.config(kafka).samplesPerPrompt(n).batches(batchSize, Duration.ofMillis(20)).maxDownstreamLag(bound)
                .downstreamTopic(rolloutTopic).downstreamGroup("drainer").lagCheckInterval(Duration.ofMillis(200))
                .build());

        await().atMost(PATIENCE).until(() -> !run.listener.ofKind("paused").isEmpty());
        assertThat(run.listener.ofKind("paused").get(0).reason()).isEqualTo(PauseReason.DOWNSTREAM_LAG);
        int ceiling = bound + batchSize * n;
        // While nobody drains, the generator must stay paused with at most one batch beyond the bound.
        await().during(Duration.ofSeconds(3)).atMost(PATIENCE).until(() ->
                rolloutCount(kafka) <= ceiling && run.listener.ofKind("resumed").isEmpty());
        assertThat(pausedGauge(PauseReason.DOWNSTREAM_LAG)).isEqualTo(1.0);
        int whilePaused = run.listener.committedPrompts();
        assertThat(whilePaused).isLessThan(60);

        AtomicInteger drained = new AtomicInteger();
        AtomicBoolean draining = new AtomicBoolean(true);
        Thread drainer = drain(rolloutTopic, "drainer", drained, draining);
        await().atMost(PATIENCE).until(() -> run.listener.committedPrompts() == 60);
        draining.set(false);
        drainer.join();

        assertThat(run.listener.ofKind("resumed")).isNotEmpty();
        assertThat(kafka.committedRollouts()).hasSize(60 * n);
        LOG.info("downstream lag: paused {} time(s) with bound {}, {} prompts done while paused, drained {} records",
                run.listener.ofKind("paused").size(), bound, whilePaused, drained.get());
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private static int rolloutCount(GeneratorKafka kafka) {
        return kafka.committedRollouts().size();
    }

    private double pausedGauge(PauseReason reason) {
        return run.registry.get(GeneratorMetrics.PAUSED).tag("reason", reason.tag()).gauge().value();
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
