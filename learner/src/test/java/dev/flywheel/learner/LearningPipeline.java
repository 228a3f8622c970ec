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
import org.apache.kafka.clients.admin.Admin;

/** The real loop on the embedded broker: prompts → generator → scorer (judge reward) → learner → generator. */
final class LearningPipeline implements AutoCloseable {
    final KafkaSettings kafka;
    final Topics topics;
    final Path store;
    final Generator generator;
    final Scorer scorer;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private LearningPipeline(KafkaSettings kafka, Topics topics, Path store, Generator generator, Scorer scorer) {
        this.kafka = kafka;
        this.topics = topics;
        this.store = store;
        this.generator = generator;
        this.scorer = scorer;
    }

    /** Creates the topics under {@code prefix}, installs the shipped models, feeds prompts, starts generator and scorer. */
    static LearningPipeline start(String bootstrap, String prefix, Path dir, int prompts, String learnerGroup) {
        KafkaSettings kafka = KafkaSettings.of(bootstrap);
        Topics topics = Topics.withPrefix(prefix);
        try (Admin admin = Admin.create(kafka.adminProperties())) {
            topics.createAll(admin);
        }
        ShippedModels.install(dir);
        TestStreams.produce(bootstrap, topics.prompts().name(), TestStreams.prompts(prefix, prompts, 11),
                p -> p.getId(), AvroSerdes.prompt().serializer());
        Generator generator = Generator.start(kafka, GeneratorConfig.builder(dir).topics(topics)
                .consumerGroup(prefix + "generator").samplesPerPrompt(4).sampling(SamplingParams.of(16, 3L))
                .batches(16, Duration.ofMillis(50)).downstreamGroup(learnerGroup).maxDownstreamLag(512)
                .lagCheckInterval(Duration.ofMillis(500)).build(), new SimpleMeterRegistry(), GeneratorListener.silent());
        Scorer scorer = Scorer.start(kafka, ScorerConfig.builder(dir).topics(topics).applicationId(prefix + "scorer")
                .reward(RewardRecipe.of(RewardMode.JUDGE)).stateDir(dir.resolve("streams")).build(),
                new SimpleMeterRegistry());
        return new LearningPipeline(kafka, topics, dir, generator, scorer);
    }

    @Override
    public void close() {
        generator.close();
        scorer.close();
    }
}
