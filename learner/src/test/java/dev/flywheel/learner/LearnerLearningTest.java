package dev.flywheel.learner;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.flywheel.core.bootstrap.BootstrapOptions;
import dev.flywheel.core.model.TransformerModel;
import dev.flywheel.core.store.ModelStore;
import dev.flywheel.learner.eval.VersionEvaluator;
import dev.flywheel.learner.ppo.PolicyGradientConfig;
import dev.flywheel.runtime.embedded.EmbeddedKafkaExtension;
import dev.flywheel.schemas.PolicyVersion;
import dev.flywheel.schemas.Rollout;
import dev.flywheel.schemas.serde.AvroSerdes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Must-show 1 and 5: on the live loop (generator → scorer with the judge reward → learner → generator), PPO and GRPO
 * each raise the mean reward over 300 optimizer steps with the KL to the reference under its bound, and the generator
 * hot-swaps to the versions the learner publishes.
 */
class LearnerLearningTest {
    private static final Logger LOG = LoggerFactory.getLogger(LearnerLearningTest.class);
    private static final int STEPS = 300;
    private static final double MAX_KL = 10.0;

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.singleNode();

    @TempDir
    Path dir;

    @Test
    void ppoRaisesTheMeanRewardOverThreeHundredStepsWithinTheKlBound() throws Exception {
        List<PolicyVersion> versions = learn(Algorithm.PPO, "ppo.", PolicyGradientConfig.ppo());
        assertRewardRose(versions);
        // The generator writes a prompt's 4 samples together, so only the groups a batch boundary cuts lose their
        // group baseline at the root.
        assertThat(versions).allSatisfy(v -> assertThat(v.getMetrics().get("advantage.group_rooted"))
                .as("share of v%d's samples measured against their siblings", v.getVersion()).isGreaterThan(0.8));
    }

    @Test
    void grpoRaisesTheMeanRewardOverThreeHundredStepsAndTheGeneratorSwapsToItsVersions() throws Exception {
        List<PolicyVersion> versions = learn(Algorithm.GRPO, "grpo.",
                PolicyGradientConfig.grouped("grpo"));
        assertRewardRose(versions);
        List<Rollout> rollouts = rollouts("grpo.rollouts");
        long newest = versions.get(versions.size() - 1).getVersion();
        assertThat(rollouts).extracting(Rollout::getPolicyVersion).contains(0L).anyMatch(v -> v >= newest - 4);
        // In each partition's log order the generator's version never goes back: after a swap, every rollout
        // carries the new version.
        Map<String, Long> lastSeen = new HashMap<>();
        for (Rollout r : rollouts) {
            Long before = lastSeen.put(r.getPromptId(), r.getPolicyVersion());
            if (before != null) {
                assertThat(r.getPolicyVersion()).isGreaterThanOrEqualTo(before);
            }
        }
    }

    private List<PolicyVersion> learn(Algorithm algo, String prefix, PolicyGradientConfig pg) throws Exception {
        String group = prefix + "learner";
        try (LearningPipeline pipeline = LearningPipeline.start(KAFKA.bootstrapServers(), prefix, dir, 8_000, group)) {
            LearnerConfig config = LearnerConfig.builder(algo, dir).topics(pipeline.topics).consumerGroup(group)
                    .batchSize(64).publishEvery(10).policyGradient(pg.withSchedule(1, 2)).maxSteps(STEPS)
                    .evaluateTaskSeed(OptionalLong.empty())
                    .guards(new dev.flywheel.learner.publish.GuardBounds(MAX_KL, 3.0, 0.5)).build();
            try (Learner learner = Learner.start(pipeline.kafka, config, pipeline.registry)) {
                boolean stopped = learner.awaitStopped(Duration.ofMinutes(15));
                assertThat(stopped).as(() -> "learner reached " + STEPS + " steps: " + learner.status() + "\n"
                        + pipeline.describe()).isTrue();
                assertThat(learner.status().failure()).isNull();
                assertThat(learner.status().steps()).isEqualTo(STEPS);
            }
            List<PolicyVersion> versions = TestStreams.versions(KAFKA.bootstrapServers(),
                    pipeline.topics.policyVersions().name());
            versions.forEach(v -> LOG.info("{} v{} step {} reward {} kl {}", algo, v.getVersion(), v.getStep(),
                    v.getMetrics().get("reward.mean"), v.getMetrics().get("kl.mean")));
            return versions;
        }
    }

    /**
     * The curve: each version's mean reward over the ~320 rollouts it trained on. The first ten versions are compared
     * with the last ten (about 3,200 rollouts each, so a standard error near 0.015). The held-out grading of v0 and
     * the last version (500 questions never in traffic) must agree: a better expected reward and fewer wrong answers
     * on names the model cannot know.
     */
    private void assertRewardRose(List<PolicyVersion> versions) {
        assertThat(versions).hasSize(STEPS / 10);
        assertThat(versions).allSatisfy(v -> assertThat(v.getMetrics().get("kl.mean")).isLessThan(MAX_KL));
        double first = meanReward(versions.subList(0, 10));
        double last = meanReward(versions.subList(versions.size() - 10, versions.size()));
        assertThat(last).as("mean rollout reward of the last ten versions, first ten %.3f", first)
                .isGreaterThan(first + 0.05);
        ModelStore store = ModelStore.open(dir);
        VersionEvaluator evaluator = VersionEvaluator.forTask(BootstrapOptions.SHIPPED_SEED);
        Map<String, Double> v0;
        Map<String, Double> vn;
        try (TransformerModel initial = store.loadRef("policy-v0").toModel(Device.cpu());
             TransformerModel trained = store.load(versions.get(versions.size() - 1).getSha256())
                     .toModel(Device.cpu())) {
            v0 = new java.util.TreeMap<>(evaluator.evaluate(initial));
            vn = new java.util.TreeMap<>(evaluator.evaluate(trained));
            v0.putAll(evaluator.evaluateGreedy(initial));
            vn.putAll(evaluator.evaluateGreedy(trained));
        }
        LOG.info("held-out grading v0 {} -> v{} {}", v0, versions.size(), vn);
        assertThat(taskReward(vn)).as("expected reward on held-out questions, v0 %.3f", taskReward(v0))
                .isGreaterThan(taskReward(v0));
        assertThat(vn.get("eval.out.wrong")).isLessThan(v0.get("eval.out.wrong"));
    }

    private static double meanReward(List<PolicyVersion> versions) {
        return versions.stream().mapToDouble(v -> v.getMetrics().get("reward.mean")).average().orElseThrow();
    }

    private static double taskReward(Map<String, Double> eval) {
        return 0.6 * (eval.get("eval.in.right") - eval.get("eval.in.wrong"))
                + 0.4 * (eval.get("eval.out.right") - eval.get("eval.out.wrong"));
    }

    private static List<Rollout> rollouts(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<Rollout> out = new ArrayList<>();
        try (KafkaConsumer<String, Rollout> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                AvroSerdes.rollout().deserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, Rollout> r : consumer.poll(Duration.ofMillis(500))) {
                    out.add(r.value());
                }
            }
        }
        return out;
    }
}
