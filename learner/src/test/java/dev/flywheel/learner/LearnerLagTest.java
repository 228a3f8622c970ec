package dev.flywheel.learner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flywheel.core.bootstrap.ShippedModels;
import dev.flywheel.core.store.ModelStore;
import dev.flywheel.learner.ppo.PolicyGradientConfig;
import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.runtime.embedded.EmbeddedKafkaExtension;
import dev.flywheel.runtime.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
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
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()))) {
            await().atMost(Duration.ofMinutes(1)).until(() -> learner.status().queued() == 40);
            await().atMost(Duration.ofMinutes(1)).until(() -> lag(admin, topics.scoredRollouts().name()) == 0);
            assertThat(learner.status().steps()).isZero();
            assertThat(learner.status().queued()).isEqualTo(40);
            assertThat(learner.status().failure()).isNull();
        }
    }

    private static long lag(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("lag.learner")
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        admin.describeTopics(java.util.List.of(topic)).allTopicNames().get().get(topic).partitions()
                .forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        long lag = 0;
        for (var end : admin.listOffsets(request).all().get().entrySet()) {
            OffsetAndMetadata at = committed.get(end.getKey());
            lag += end.getValue().offset() - (at == null ? 0 : at.offset());
        }
        return lag;
    }
}
