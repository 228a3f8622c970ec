package dev.flywheel.scorer.bench;

import ai.djl.Device;
import dev.flywheel.core.bootstrap.Bootstrap;
import dev.flywheel.core.bootstrap.BootstrapListener;
import dev.flywheel.core.bootstrap.BootstrapOptions;
import dev.flywheel.core.bootstrap.ShippedModels;
import dev.flywheel.core.device.TorchThreads;
import dev.flywheel.core.model.TransformerModel;
import dev.flywheel.core.sampling.Sample;
import dev.flywheel.core.sampling.SamplingParams;
import dev.flywheel.core.store.ModelStore;
import dev.flywheel.core.task.DefaultTask;
import dev.flywheel.core.task.Question;
import dev.flywheel.core.task.TrafficMix;
import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.runtime.embedded.EmbeddedKafka;
import dev.flywheel.runtime.topics.Topics;
import dev.flywheel.schemas.FinishReason;
import dev.flywheel.schemas.Rollout;
import dev.flywheel.schemas.serde.AvroSerdes;
import dev.flywheel.scorer.Scorer;
import dev.flywheel.scorer.ScorerConfig;
import dev.flywheel.scorer.reward.RewardMode;
import dev.flywheel.scorer.reward.RewardRecipe;
import dev.flywheel.scorer.scoring.ModelsInUse;
import dev.flywheel.scorer.scoring.RolloutScorer;
import dev.flywheel.core.model.ReferenceModel;
import dev.flywheel.core.model.RewardModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Scored rollouts per second against generated rollouts per second, on one machine with one torch thread:
 * {@code ScorerBenchmark [ROLLOUTS] [quick|shipped|MODEL_STORE_DIR]} (default 2000 rollouts, a quick-bootstrapped
 * store; {@code shipped} installs the full-size models shipped with core).
 *
 * <p>Generation samples n = 4 responses per default-task prompt in one call per prompt, as the generator does.
 * Scoring is measured twice: the model work alone ({@link RolloutScorer} on batches of 32) and the whole Streams
 * application on an embedded broker, from its first scored batch to its last (exactly-once commits included).
 */
public final class ScorerBenchmark {
    private static final int SAMPLES_PER_PROMPT = 4;
    private static final int BATCH = 32;

    private ScorerBenchmark() {
    }

    /** Runs the benchmark and prints one line per measurement. */
    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        TorchThreads.set(1);
        Path work = Files.createTempDirectory("scorer-bench");
        String models = args.length > 1 ? args[1] : "quick";
        Path storeDir = switch (models) {
            case "quick" -> work.resolve("models");
            case "shipped" -> work.resolve("shipped");
            default -> Path.of(models);
        };
        if (models.equals("quick")) {
            Bootstrap.run(BootstrapOptions.quick(storeDir, 7), BootstrapListener.silent());
        } else if (models.equals("shipped")) {
            ShippedModels.install(storeDir);
        }
        ModelStore store = ModelStore.open(storeDir);
        System.out.println("models: " + models + " (" + storeDir + ")");
        List<Rollout> rollouts = generate(store, total);
        scoreModelsOnly(store, rollouts);
        scoreWithStreams(storeDir, work, rollouts);
    }

    private static List<Rollout> generate(ModelStore store, int total) {
        List<Rollout> rollouts = new ArrayList<>(total);
        try (TransformerModel policy = store.loadRef(Bootstrap.POLICY_REF).toModel(Device.cpu())) {
            List<Question> questions = DefaultTask.withSeed(7).questionSource(TrafficMix.DEFAULT, 1)
                    .take(total / SAMPLES_PER_PROMPT + 1);
            long began = System.nanoTime();
            for (int q = 0; rollouts.size() < total; q++) {
                Question question = questions.get(q);
                int[] prompt = policy.tokenizer().encodePrompt(question.prompt());
                List<Sample> samples = policy.sample(Collections.nCopies(SAMPLES_PER_PROMPT, prompt),
                        SamplingParams.of(16, q));
                for (int i = 0; i < samples.size() && rollouts.size() < total; i++) {
                    if (samples.get(i).tokens().length == 0) {
                        continue;
                    }
                    rollouts.add(rollout("q" + q + "/" + i, question, prompt, samples.get(i), policy));
                }
            }
            report("generation (policy.sample, n=4 per prompt)", total, System.nanoTime() - began);
        }
        return rollouts;
    }

    private static void scoreModelsOnly(ModelStore store, List<Rollout> rollouts) {
        try (RewardModel rm = RewardModel.wrapping(store.loadRef(Bootstrap.REWARD_MODEL_REF).toModel(Device.cpu()));
             ReferenceModel ref = ReferenceModel.wrapping(store.loadRef(Bootstrap.REFERENCE_REF).toModel(Device.cpu()))) {
            ModelsInUse models = new ModelsInUse(rm, 0, ref, 0, 0.05);
            RolloutScorer scorer = new RolloutScorer(RewardRecipe.of(RewardMode.RM_AND_JUDGE));
            long began = System.nanoTime();
            for (int from = 0; from < rollouts.size(); from += BATCH) {
                scorer.score(rollouts.subList(from, Math.min(rollouts.size(), from + BATCH)), models, Instant.now());
            }
            report("scoring, models only (batches of " + BATCH + ")", rollouts.size(), System.nanoTime() - began);
        }
    }

    private static void scoreWithStreams(Path storeDir, Path work, List<Rollout> rollouts) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {
            Topics topics = Topics.defaults();
            try (Admin admin = Admin.create(kafka.clientProperties())) {
                topics.createAll(admin);
            }
            Properties props = kafka.clientProperties();
            props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            try (KafkaProducer<String, Rollout> producer = new KafkaProducer<>(props, new StringSerializer(),
                    AvroSerdes.rollout().serializer())) {
                for (Rollout r : rollouts) {
                    producer.send(new ProducerRecord<>(topics.rollouts().name(), r.getPromptId(), r));
                }
                producer.flush();
            }
            ScorerConfig config = ScorerConfig.builder(storeDir).reward(RewardRecipe.of(RewardMode.RM_AND_JUDGE))
                    .batches(BATCH, Duration.ofMillis(50)).stateDir(work.resolve("state")).build();
            try (Scorer scorer = Scorer.start(KafkaSettings.of(kafka.bootstrapServers()), config,
                    new SimpleMeterRegistry())) {
                long started = System.nanoTime();
                long first = 0;
                long deadline = started + Duration.ofMinutes(10).toNanos();
                while (scorer.scored() < rollouts.size()) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("scored only " + scorer.scored() + " of " + rollouts.size()
                                + " rollouts in 10 minutes");
                    }
                    if (first == 0 && scorer.scored() > 0) {
                        first = System.nanoTime();
                    }
                    Thread.sleep(5);
                }
                long end = System.nanoTime();
                report("scoring, Kafka Streams EOS app, first batch to last", rollouts.size(), end - first);
                report("scoring, Kafka Streams EOS app, including start-up", rollouts.size(), end - started);
            }
        }
    }

    private static void report(String what, int count, long nanos) {
        double seconds = nanos / 1e9;
        System.out.printf("%-55s %6d rollouts in %7.2f s = %8.1f rollouts/s%n", what, count, seconds, count / seconds);
    }

    private static Rollout rollout(String id, Question q, int[] prompt, Sample sample, TransformerModel policy) {
        List<Integer> promptIds = new ArrayList<>();
        for (int t : prompt) {
            promptIds.add(t);
        }
        List<Integer> responseIds = new ArrayList<>();
        for (int t : sample.tokens()) {
            responseIds.add(t);
        }
        List<Float> logProbs = new ArrayList<>();
        for (float lp : sample.logProbs()) {
            logProbs.add(lp);
        }
        return Rollout.newBuilder().setId(id).setTs(Instant.now()).setPromptId(id.substring(0, id.indexOf('/')))
                .setPrompt(q.prompt()).setPromptTokenIds(promptIds).setResponse(policy.tokenizer().decode(sample.tokens()))
                .setResponseTokenIds(responseIds).setBehaviourLogProbs(logProbs).setPolicyVersion(0)
                .setSampling(dev.flywheel.schemas.SamplingParams.newBuilder().setTemperature(1f).setTopK(0).setTopP(1f)
                        .setMaxNewTokens(16).setSeed(0).build())
                .setGroupId(id.substring(0, id.indexOf('/'))).setGroupIndex(0).setGroupSize(SAMPLES_PER_PROMPT)
                .setFinishReason(sample.endsWith(policy.tokenizer().eosId()) ? FinishReason.EOS : FinishReason.LENGTH)
                .setMetadata(java.util.Map.of("task.answer", q.answer())).build();
    }
}
