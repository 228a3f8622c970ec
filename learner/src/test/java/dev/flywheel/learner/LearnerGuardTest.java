package dev.flywheel.learner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.core.bootstrap.ShippedModels;
import dev.flywheel.core.store.ModelStore;
import dev.flywheel.learner.checkpoint.CheckpointStore;
import dev.flywheel.learner.checkpoint.LearnerState;
import dev.flywheel.learner.experience.Experience;
import dev.flywheel.learner.metrics.LearnerMetrics;
import dev.flywheel.learner.ppo.PolicyGradientConfig;
import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.runtime.embedded.EmbeddedKafkaExtension;
import dev.flywheel.runtime.topics.Topics;
import dev.flywheel.schemas.PolicyVersion;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Must-show 4: a NaN in a batch stops that version, and training goes on from the last good weights. */
class LearnerGuardTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.singleNode();

    @TempDir
    Path dir;

    @Test
    void nanInjectedIntoABatchPreventsPublishingAndTrainingResumesFromTheLastGoodWeights() throws Exception {
        KafkaSettings kafka = KafkaSettings.of(KAFKA.bootstrapServers());
        Topics topics = TestStreams.createTopics(KAFKA.bootstrapServers(), "nan.");
        ModelStore store = ShippedModels.install(dir);
        // Six batches of 16 rollouts (four groups of four), one optimizer step each, a version after every step.
        TestStreams.produceScored(KAFKA.bootstrapServers(), topics.scoredRollouts().name(),
                TestStreams.scoredRollouts(store, 24, 4, 5));
        AtomicInteger batches = new AtomicInteger();
        UnaryOperator<List<Experience>> poisonThirdBatch = batch -> {
            if (batches.incrementAndGet() != 3) {
                return batch;
            }
            List<Experience> poisoned = new ArrayList<>(batch);
            poisoned.set(0, batch.get(0).withReward(Double.NaN));
            return poisoned;
        };
        LearnerConfigBuilder builder = LearnerConfig.builder(Algorithm.GRPO, dir).topics(topics).consumerGroup("nan")
                .batchSize(16).publishEvery(1).evaluateTaskSeed(OptionalLong.empty())
                .policyGradient(PolicyGradientConfig.grouped("grpo").withLearningRate(1e-4f).withSchedule(1, 1))
                .experienceHook(poisonThirdBatch);

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Learner learner = Learner.start(kafka, builder.maxSteps(3).build(), registry)) {
            assertThat(learner.awaitStopped(Duration.ofMinutes(3))).isTrue();
            assertThat(learner.status().failure()).isNull();
        }
        List<PolicyVersion> afterNan = TestStreams.versions(KAFKA.bootstrapServers(), topics.policyVersions().name());
        assertThat(afterNan).extracting(PolicyVersion::getVersion).containsExactly(1L, 2L);
        assertThat(registry.get(LearnerMetrics.GUARD_FAILURES).tag("guard", "non_finite").counter().count())
                .isEqualTo(1.0);
        // The checkpoint written at the rollback holds exactly v2's published weights, and has moved past the batch.
        CheckpointStore checkpoints = CheckpointStore.in(store, "policy-grpo");
        LearnerState state = checkpoints.load().orElseThrow();
        assertThat(state.version()).isEqualTo(2);
        assertThat(state.steps()).isEqualTo(3);
        PolicyVersion v2 = afterNan.get(1);
        assertThat(checkpoints.tensors(state).weights()).usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(store.load(v2.getSha256()).parameters());

        try (Learner learner = Learner.start(kafka, builder.maxSteps(3).build(), new SimpleMeterRegistry())) {
            assertThat(learner.awaitStopped(Duration.ofMinutes(3))).isTrue();
            assertThat(learner.status().failure()).isNull();
        }
        List<PolicyVersion> all = TestStreams.versions(KAFKA.bootstrapServers(), topics.policyVersions().name());
        assertThat(all).extracting(PolicyVersion::getVersion).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(all.get(2).getParent()).isEqualTo(2L);
        // Every offset is accounted for once: in a version's lineage, or in the one discarded batch.
        long inLineage = all.stream().flatMap(v -> v.getLineage().stream())
                .mapToLong(r -> r.getToOffset() - r.getFromOffset()).sum();
        assertThat(inLineage).isEqualTo(96 - 16);
    }
}
