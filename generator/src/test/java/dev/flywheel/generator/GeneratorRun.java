package dev.flywheel.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.flywheel.core.model.TransformerModel;
import dev.flywheel.core.sampling.SamplingParams;
import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.runtime.topics.Topics;
import dev.flywheel.schemas.Rollout;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;

/** One test's generators on the embedded broker: their topics, metrics, events, and cleanup. */
final class GeneratorRun implements AutoCloseable {
    static final SamplingParams SAMPLING = SamplingParams.of(12, 42L);

    final MeterRegistry registry = new SimpleMeterRegistry();
    final RecordingListener listener = new RecordingListener();
    private final String bootstrapServers;
    private final TestModels models;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    GeneratorRun(String bootstrapServers, TestModels models) {
        this.bootstrapServers = bootstrapServers;
        this.models = models;
    }

    /** Flywheel's topics under {@code prefix}, created on the broker. */
    GeneratorKafka kafka(String prefix) {
        GeneratorKafka kafka = new GeneratorKafka(bootstrapServers, Topics.withPrefix(prefix));
        closeables.add(kafka);
        return kafka;
    }

    /** A configuration over those topics with its own instance id and group, and no downstream-lag bound. */
    GeneratorConfig.Builder config(GeneratorKafka kafka) {
        return GeneratorConfig.builder(models.directory()).topics(kafka.topics()).instanceId(kafka.topics().prefix() + "gen")
                .consumerGroup(kafka.topics().prefix() + "generator").sampling(SAMPLING).maxDownstreamLag(0);
    }

    /** Starts a generator reporting to this run's registry and listener; closed with the run. */
    Generator start(GeneratorConfig config) {
        Generator generator = Generator.start(KafkaSettings.of(bootstrapServers), config, registry, listener);
        closeables.add(generator);
        return generator;
    }

    double counter(String name) {
        return registry.get(name).counter().count();
    }

    /** Each rollout's behaviour log-probs equal {@code policy}'s scoring of the same tokens, within 1e-4. */
    static void assertLogProbsMatch(TransformerModel policy, List<Rollout> rollouts) {
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

    @Override
    public void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }
}
