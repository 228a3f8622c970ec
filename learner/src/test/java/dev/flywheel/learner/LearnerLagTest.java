package dev.flywheel.learner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flywheel.core.bootstrap.ShippedModels;
import dev.flywheel.core.store.ModelStore;
import dev.flywheel.generator.backpressure.DownstreamLag;
import dev.flywheel.generator.metrics.GeneratorMetrics;
import dev.flywheel.learner.ppo.PolicyGradientConfig;
import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.runtime.embedded.EmbeddedKafkaExtension;
import dev.flywheel.runtime.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learner's group offsets are what a generator bounds its lag by, so they must say what the learner has read: a
 * few examples waiting for a full batch must not hold them back, or a generator paused on that lag and a learner
 * waiting for that generator's next rollouts would wait for each other for ever (seen on CI when a startup backlog
 * went stale).
 */
class LearnerLagTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.singleNode();

    @TempDir
    Path dir;

    @Test
    void committedOffsetsReachTheEndWhileExamplesWaitForAFullBatch() throws Exception {
        KafkaSettings kafka = KafkaSettings.of(KAFKA.bootstrapServers());
        Topics topics = TestStreams.createTopics(KAFKA.bootstrapServers(), "lag.");
        ModelStore store = ShippedModels.install(dir);
        // 40 rollouts for a batch of 64: all are read, none can be trained yet.
        TestStreams.produceScored(KAFKA.bootstrapServers(), topics.scoredRollouts().name(),
                TestStreams.scoredRollouts(store, 10, 4, 3));
        LearnerConfig config = LearnerConfig.builder(Algorithm.PPO, dir).topics(topics).consumerGroup("lag.learner")
                .batchSize(64).evaluateTaskSeed(OptionalLong.empty()).policyGradient(PolicyGradientConfig.ppo())
                .build();
        try (Learner learner = Learner.start(kafka, config, new SimpleMeterRegistry());
             Admin admin = Admin.create(kafka.adminProperties())) {
            await().atMost(Duration.ofMinutes(1)).until(() -> learner.status().queued() == 40);
            // Measured exactly as a generator bounding this group's lag measures it.
            DownstreamLag lag = DownstreamLag.watch(admin, topics.scoredRollouts().name(), "lag.learner",
                    Duration.ofMillis(200), new GeneratorMetrics(new SimpleMeterRegistry(), "lag-test"));
            try (lag) {
                await().atMost(Duration.ofMinutes(1)).until(() -> lag.estimate() == 0);
            }
            assertThat(learner.status().steps()).isZero();
            assertThat(learner.status().queued()).isEqualTo(40);
            assertThat(learner.status().failure()).isNull();
        }
    }
}
