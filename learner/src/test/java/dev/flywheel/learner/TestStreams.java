package dev.flywheel.learner;

import ai.djl.Device;
import dev.flywheel.core.bootstrap.BootstrapOptions;
import dev.flywheel.core.model.ReferenceModel;
import dev.flywheel.core.model.TransformerModel;
import dev.flywheel.core.sampling.Sample;
import dev.flywheel.core.sampling.SamplingParams;
import dev.flywheel.core.store.ModelStore;
import dev.flywheel.core.task.DefaultTask;
import dev.flywheel.core.task.Judge;
import dev.flywheel.core.task.Question;
import dev.flywheel.core.task.TrafficMix;
import dev.flywheel.core.task.TruthfulnessReward;
import dev.flywheel.core.task.Verdict;
import dev.flywheel.core.tokenizer.Tokenizer;
import dev.flywheel.runtime.topics.Topics;
import dev.flywheel.runtime.versions.VersionFeed;
import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.schemas.FinishReason;
import dev.flywheel.schemas.JudgeLabel;
import dev.flywheel.schemas.PolicyVersion;
import dev.flywheel.schemas.Prompt;
import dev.flywheel.schemas.RewardSource;
import dev.flywheel.schemas.Rollout;
import dev.flywheel.schemas.ScoredRollout;
import dev.flywheel.schemas.serde.AvroSerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Default-task prompts and scored rollouts for learner tests, made with the shipped models. */
final class TestStreams {
    static final DefaultTask TASK = DefaultTask.withSeed(BootstrapOptions.SHIPPED_SEED);

    private TestStreams() {
    }

    /** Flywheel's topics under {@code prefix}, created on the broker at {@code bootstrap}. */
    static Topics createTopics(String bootstrap, String prefix) {
        Topics topics = Topics.withPrefix(prefix);
        try (Admin admin = Admin.create(KafkaSettings.of(bootstrap).adminProperties())) {
            topics.createAll(admin);
        }
        return topics;
    }

    /** The tokenizer of the store's policy-v0. */
    static Tokenizer tokenizer(ModelStore store) {
        try (TransformerModel v0 = store.loadRef("policy-v0").toModel(Device.cpu())) {
            return v0.tokenizer();
        }
    }

    /** {@code count} default-task prompts with ids {@code <prefix>-i}. */
    static List<Prompt> prompts(String prefix, int count, long seed) {
        List<Question> questions = TASK.questionSource(TrafficMix.DEFAULT, seed).take(count);
        List<Prompt> prompts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Question q = questions.get(i);
            prompts.add(Prompt.newBuilder().setId(prefix + "-" + i).setTs(Instant.now()).setTenant("test")
                    .setText(q.prompt())
                    .setMetadata(Map.of("task.kind", q.kind().name().toLowerCase(), "task.answer", q.answer()))
                    .build());
        }
        return prompts;
    }

    /**
     * {@code groups} groups of {@code n} scored rollouts sampled from policy-v0 with judge rewards and reference
     * log-probs, as the generator and scorer would write them for version 0.
     */
    static List<ScoredRollout> scoredRollouts(ModelStore store, int groups, int n, long seed) {
        List<Question> questions = TASK.questionSource(TrafficMix.DEFAULT, seed).take(groups);
        List<ScoredRollout> out = new ArrayList<>();
        try (TransformerModel policy = store.loadRef("policy-v0").toModel(Device.cpu());
             ReferenceModel reference = ReferenceModel.wrapping(store.loadRef("reference").toModel(Device.cpu()))) {
            List<int[]> prompts = new ArrayList<>();
            for (Question q : questions) {
                for (int k = 0; k < n; k++) {
                    prompts.add(policy.tokenizer().encodePrompt(q.prompt()));
                }
            }
            List<Sample> samples = policy.sample(prompts, SamplingParams.of(16, seed));
            float[][] ref = reference.logProbs(prompts, samples.stream().map(Sample::tokens).toList(), 1f);
            for (int i = 0; i < samples.size(); i++) {
                Question q = questions.get(i / n);
                String text = policy.tokenizer().decode(samples.get(i).tokens());
                out.add(scored(q, prompts.get(i), text, samples.get(i), ref[i], "g" + seed + "-" + (i / n), i % n, n));
            }
        }
        return out;
    }

    private static ScoredRollout scored(Question q, int[] prompt, String text, Sample s, float[] ref, String group,
                                        int index, int n) {
        Verdict verdict = Judge.verdict(q, text);
        double reward = TruthfulnessReward.DEFAULT.of(verdict);
        String id = group + "/" + index;
        Rollout rollout = Rollout.newBuilder().setId(id).setTs(Instant.now()).setPromptId(group).setTenant("test")
                .setPrompt(q.prompt()).setPromptTokenIds(ints(prompt)).setResponse(text)
                .setResponseTokenIds(ints(s.tokens())).setBehaviourLogProbs(floats(s.logProbs())).setPolicyVersion(0)
                .setSampling(dev.flywheel.schemas.SamplingParams.newBuilder().setTemperature(1f).setTopK(0)
                        .setTopP(1f).setMaxNewTokens(16).setSeed(0L).build())
                .setGroupId(group).setGroupIndex(index).setGroupSize(n)
                .setFinishReason(FinishReason.EOS).setMetadata(Map.of("task.answer", q.answer())).build();
        List<Float> k1 = new ArrayList<>();
        for (int t = 0; t < ref.length; t++) {
            k1.add(s.logProbs()[t] - ref[t]);
        }
        return ScoredRollout.newBuilder().setId(id).setTs(Instant.now()).setRolloutId(id).setPromptId(group)
                .setPolicyVersion(0).setRollout(rollout).setRewardSource(RewardSource.JUDGE)
                .setJudgeLabel(JudgeLabel.valueOf(verdict.name())).setJudgeReward(reward).setReward(reward)
                .setReferenceVersion(0L).setReferenceLogProbs(floats(ref)).setKlK1(k1).setKlK3(k1)
                .setSequenceKl(k1.stream().mapToDouble(Float::doubleValue).sum()).setShapedRewards(k1).setBeta(0.05)
                .build();
    }

    /** Sends records to {@code topic} keyed by {@code key} and waits for all of them. */
    static <T> void produce(String bootstrap, String topic, List<T> records, java.util.function.Function<T, String> key,
                            org.apache.kafka.common.serialization.Serializer<T> serializer) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, T> producer = new KafkaProducer<>(props, new StringSerializer(), serializer)) {
            records.forEach(r -> producer.send(new ProducerRecord<>(topic, key.apply(r), r)));
            producer.flush();
        }
    }

    /** Sends scored rollouts keyed by prompt id. */
    static void produceScored(String bootstrap, String topic, List<ScoredRollout> records) {
        produce(bootstrap, topic, records, r -> r.getPromptId(), AvroSerdes.scoredRollout().serializer());
    }

    /** Every version on the policy-version topic. */
    static List<PolicyVersion> versions(String bootstrap, String topic) {
        try (VersionFeed feed = VersionFeed.of(KafkaSettings.of(bootstrap), topic, "test-versions", w -> { })) {
            return feed.catchUp(Duration.ofSeconds(30));
        }
    }

    private static List<Integer> ints(int[] a) {
        List<Integer> out = new ArrayList<>(a.length);
        for (int v : a) {
            out.add(v);
        }
        return out;
    }

    private static List<Float> floats(float[] a) {
        List<Float> out = new ArrayList<>(a.length);
        for (float v : a) {
            out.add(v);
        }
        return out;
    }
}
