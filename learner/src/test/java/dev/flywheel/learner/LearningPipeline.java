package dev.flywheel.learner;

import dev.flywheel.core.bootstrap.ShippedModels;
import dev.flywheel.core.sampling.SamplingParams;
import dev.flywheel.generator.Generator;
import dev.flywheel.generator.GeneratorConfig;
import dev.flywheel.generator.GeneratorListener;
import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.runtime.topics.Topics;
import dev.flywheel.schemas.serde.AvroSerdes;
import dev.flywheel.scorer.Scorer;
import dev.flywheel.scorer.ScorerConfig;
import dev.flywheel.scorer.reward.RewardMode;
import dev.flywheel.scorer.reward.RewardRecipe;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** The real loop on the embedded broker: prompts → generator → scorer (judge reward) → learner → generator. */
final class LearningPipeline implements AutoCloseable {
    final KafkaSettings kafka;
    final Topics topics;
    final Path store;
    final Generator generator;
    final Scorer scorer;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SimpleMeterRegistry services;

    private LearningPipeline(KafkaSettings kafka, Topics topics, Path store, Generator generator, Scorer scorer,
                             SimpleMeterRegistry services) {
        this.kafka = kafka;
        this.topics = topics;
        this.store = store;
        this.generator = generator;
        this.scorer = scorer;
        this.services = services;
    }

    /** Creates the topics under {@code prefix}, installs the shipped models, feeds prompts, starts generator and scorer. */
    static LearningPipeline start(String bootstrap, String prefix, Path dir, int prompts, String learnerGroup) {
        KafkaSettings kafka = KafkaSettings.of(bootstrap);
        Topics topics = TestStreams.createTopics(bootstrap, prefix);
        ShippedModels.install(dir);
        TestStreams.produce(bootstrap, topics.prompts().name(), TestStreams.prompts(prefix, prompts, 11),
                p -> p.getId(), AvroSerdes.prompt().serializer());
        SimpleMeterRegistry services = new SimpleMeterRegistry();
        Generator generator = Generator.start(kafka, GeneratorConfig.builder(dir).topics(topics)
                .consumerGroup(prefix + "generator").samplesPerPrompt(4).sampling(SamplingParams.of(16, 3L))
                .batches(16, Duration.ofMillis(50)).downstreamGroup(learnerGroup).maxDownstreamLag(512)
                .lagCheckInterval(Duration.ofMillis(500)).build(), services, GeneratorListener.silent());
        Scorer scorer = Scorer.start(kafka, ScorerConfig.builder(dir).topics(topics).applicationId(prefix + "scorer")
                .reward(RewardRecipe.of(RewardMode.JUDGE)).stateDir(dir.resolve("streams")).build(), services);
        return new LearningPipeline(kafka, topics, dir, generator, scorer, services);
    }

    /**
     * What each service is doing, for a failure message when the loop stops short: the generator's and scorer's
     * state, every Flywheel meter of the three services, and where the learner's thread is.
     */
    String describe() {
        StringBuilder out = new StringBuilder();
        out.append("generator v").append(generator.policyVersion()).append(" failure=")
                .append(generator.failure().map(Throwable::toString).orElse("none"))
                .append("; scorer ").append(scorer.state()).append(" scored=").append(scorer.scored())
                .append(" failed=").append(scorer.termination().isCompletedExceptionally()).append('\n');
        for (SimpleMeterRegistry r : List.of(services, registry)) {
            r.getMeters().stream().filter(m -> m.getId().getName().startsWith("flywheel."))
                    .filter(m -> !m.getId().getName().contains("latency") && !m.getId().getName().contains("time"))
                    .forEach(m -> out.append("  ").append(m.getId().getName()).append(m.getId().getTags())
                            .append(' ').append(m.measure().iterator().next().getValue()).append('\n'));
        }
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (thread.getName().equals("flywheel-learner") || thread.getName().startsWith("fw-generator")) {
                out.append("  thread ").append(thread.getName()).append(' ').append(thread.getState()).append('\n');
                Arrays.stream(stack).limit(8).forEach(f -> out.append("    at ").append(f).append('\n'));
            }
        });
        return out.toString();
    }

    @Override
    public void close() {
        generator.close();
        scorer.close();
    }
}
