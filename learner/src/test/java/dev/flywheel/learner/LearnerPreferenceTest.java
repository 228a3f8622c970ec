package dev.flywheel.learner;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.flywheel.core.bootstrap.ShippedModels;
import dev.flywheel.core.model.TransformerModel;
import dev.flywheel.core.store.ModelStore;
import dev.flywheel.core.task.Fact;
import dev.flywheel.core.task.Question;
import dev.flywheel.core.task.TaskFormat;
import dev.flywheel.core.tokenizer.Tokenizer;
import dev.flywheel.learner.dpo.PreferenceConfig;
import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.runtime.embedded.EmbeddedKafkaExtension;
import dev.flywheel.runtime.topics.Topics;
import dev.flywheel.schemas.PolicyVersion;
import dev.flywheel.schemas.PreferencePair;
import dev.flywheel.schemas.PreferenceSource;
import dev.flywheel.schemas.serde.AvroSerdes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Must-show 2: online DPO on a stream of preference pairs raises the implicit reward margin
 * β·[(log π − log π_ref)(chosen) − (log π − log π_ref)(rejected)] on held-out pairs (names it never trained on).
 */
class LearnerPreferenceTest {
    private static final float BETA = 0.1f;

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.singleNode();

    @TempDir
    Path dir;

    @Test
    void dpoRaisesTheImplicitRewardMarginOnHeldOutPairs() throws Exception {
        KafkaSettings kafka = KafkaSettings.of(KAFKA.bootstrapServers());
        Topics topics = TestStreams.createTopics(KAFKA.bootstrapServers(), "dpo.");
        ModelStore store = ShippedModels.install(dir);
        Tokenizer tokenizer = TestStreams.tokenizer(store);
        List<Fact> known = TestStreams.TASK.facts().known();
        List<Fact> unknown = TestStreams.TASK.facts().outOfKnowledge();
        // Train on the first 150 known names and the traffic's unknown names; hold out the other known names and the
        // held-out unknown names, which no training pair mentions.
        List<PreferencePair> training = new ArrayList<>();
        training.addAll(pairs(tokenizer, known.subList(0, 150), false, 1));
        training.addAll(pairs(tokenizer, unknown.subList(0, 250), true, 2));
        java.util.Collections.shuffle(training, new java.util.Random(3));
        List<PreferencePair> heldOut = new ArrayList<>(pairs(tokenizer, known.subList(150, 200), false, 4));
        heldOut.addAll(pairs(tokenizer, TestStreams.TASK.facts().heldOut().subList(0, 100), true, 5));
        TestStreams.produce(KAFKA.bootstrapServers(), topics.preferences().name(), training, PreferencePair::getPromptId,
                AvroSerdes.preferencePair().serializer());

        LearnerConfig config = LearnerConfig.builder(Algorithm.DPO, dir).topics(topics).consumerGroup("dpo")
                .batchSize(16).publishEvery(5).evaluateTaskSeed(OptionalLong.empty()).maxSteps(25)
                .preference(new PreferenceConfig("dpo", 5e-5f, BETA, 0f, 1, 1, 1f)).build();
        try (Learner learner = Learner.start(kafka, config, new SimpleMeterRegistry())) {
            assertThat(learner.awaitStopped(Duration.ofMinutes(5))).isTrue();
            assertThat(learner.status().failure()).isNull();
        }
        List<PolicyVersion> versions = TestStreams.versions(KAFKA.bootstrapServers(), topics.policyVersions().name());
        assertThat(versions).hasSize(5);
        PolicyVersion last = versions.get(versions.size() - 1);
        try (TransformerModel reference = store.loadRef("reference").toModel(Device.cpu());
             TransformerModel trained = store.load(URI.create(last.getUri())).toModel(Device.cpu())) {
            double before = meanMargin(reference, reference, heldOut);
            double after = meanMargin(trained, reference, heldOut);
            assertThat(before).isEqualTo(0.0);
            assertThat(after).as("held-out implicit reward margin after DPO").isGreaterThan(0.2);
            assertThat(last.getMetrics().get("reward_margin")).isPositive();
        }
    }

    @Test
    void rewardModelRefreshPublishesRewardModelVersionsFromHumanPairs() throws Exception {
        KafkaSettings kafka = KafkaSettings.of(KAFKA.bootstrapServers());
        Topics topics = TestStreams.createTopics(KAFKA.bootstrapServers(), "rm.");
        ModelStore store = ShippedModels.install(dir);
        Tokenizer tokenizer = TestStreams.tokenizer(store);
        List<PreferencePair> training = new ArrayList<>(pairs(tokenizer,
                TestStreams.TASK.facts().known().subList(0, 150), false, 1));
        training.addAll(pairs(tokenizer, TestStreams.TASK.facts().outOfKnowledge().subList(0, 170), true, 2));
        List<PreferencePair> heldOut = new ArrayList<>(pairs(tokenizer,
                TestStreams.TASK.facts().known().subList(150, 200), false, 4));
        heldOut.addAll(pairs(tokenizer, TestStreams.TASK.facts().heldOut().subList(0, 100), true, 5));
        TestStreams.produce(KAFKA.bootstrapServers(), topics.preferences().name(), training, PreferencePair::getPromptId,
                AvroSerdes.preferencePair().serializer());

        LearnerConfig config = LearnerConfig.builder(Algorithm.RM, dir).topics(topics).batchSize(16).publishEvery(10)
                .maxSteps(20).build();
        try (Learner learner = Learner.start(kafka, config, new SimpleMeterRegistry())) {
            assertThat(learner.awaitStopped(Duration.ofMinutes(5))).isTrue();
            assertThat(learner.status().failure()).isNull();
        }
        List<PolicyVersion> versions = TestStreams.versions(KAFKA.bootstrapServers(), topics.policyVersions().name());
        assertThat(versions).extracting(PolicyVersion::getModel).containsOnly("reward-model");
        assertThat(versions).extracting(PolicyVersion::getVersion).containsExactly(1L, 2L);
        assertThat(versions.get(1).getAlgo()).isEqualTo("rm");
        try (TransformerModel before = store.loadRef("reward-model").toModel(Device.cpu());
             TransformerModel after = store.load(URI.create(versions.get(1).getUri())).toModel(Device.cpu())) {
            double accuracyBefore = accuracy(before, heldOut);
            double accuracyAfter = accuracy(after, heldOut);
            assertThat(accuracyAfter).as("held-out pairwise accuracy, %.3f before", accuracyBefore)
                    .isGreaterThanOrEqualTo(accuracyBefore).isGreaterThan(0.9);
        }
    }

    private static double accuracy(TransformerModel rewardModel, List<PreferencePair> pairs) {
        List<int[]> prompts = pairs.stream().map(p -> toArray(p.getPromptTokenIds())).toList();
        float[] chosen = rewardModel.lastTokenValues(prompts, pairs.stream().map(p -> toArray(p.getChosenTokenIds())).toList());
        float[] rejected = rewardModel.lastTokenValues(prompts,
                pairs.stream().map(p -> toArray(p.getRejectedTokenIds())).toList());
        int right = 0;
        for (int i = 0; i < chosen.length; i++) {
            right += chosen[i] > rejected[i] ? 1 : 0;
        }
        return right / (double) pairs.size();
    }

    /** Pairs for the names of {@code facts}: the right answer (or, if unknowable, the refusal) over a wrong code. */
    private static List<PreferencePair> pairs(Tokenizer tokenizer, List<Fact> facts, boolean unknowable, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<PreferencePair> out = new ArrayList<>();
        for (Fact f : facts) {
            Question q = f.question();
            String chosen = unknowable ? TaskFormat.refusalResponse() : q.rightResponse();
            String rejected = TaskFormat.response(TestStreams.TASK.wrongAnswer(q, random));
            String id = "pair-" + seed + "-" + f.name();
            out.add(PreferencePair.newBuilder().setId(id).setTs(Instant.now()).setPromptId(id).setTenant("test")
                    .setPrompt(q.prompt()).setPromptTokenIds(ints(tokenizer.encodePrompt(q.prompt())))
                    .setChosen(chosen).setChosenTokenIds(ints(response(tokenizer, chosen))).setChosenRolloutId(id + "/c")
                    .setRejected(rejected).setRejectedTokenIds(ints(response(tokenizer, rejected)))
                    .setRejectedRolloutId(id + "/r").setSource(PreferenceSource.HUMAN).setMargin(1.0)
                    .setRaterIds(List.of("r1")).setFeedbackIds(List.of(id)).build());
        }
        return out;
    }

    private static double meanMargin(TransformerModel policy, TransformerModel reference, List<PreferencePair> pairs) {
        List<int[]> prompts = pairs.stream().map(p -> toArray(p.getPromptTokenIds())).toList();
        List<int[]> chosen = pairs.stream().map(p -> toArray(p.getChosenTokenIds())).toList();
        List<int[]> rejected = pairs.stream().map(p -> toArray(p.getRejectedTokenIds())).toList();
        double[] pc = sums(policy.logProbs(prompts, chosen, 1f));
        double[] pr = sums(policy.logProbs(prompts, rejected, 1f));
        double[] rc = sums(reference.logProbs(prompts, chosen, 1f));
        double[] rr = sums(reference.logProbs(prompts, rejected, 1f));
        double total = 0;
        for (int i = 0; i < pairs.size(); i++) {
            total += BETA * ((pc[i] - rc[i]) - (pr[i] - rr[i]));
        }
        return total / pairs.size();
    }

    private static double[] sums(float[][] rows) {
        return Arrays.stream(rows).mapToDouble(r -> {
            double s = 0;
            for (float v : r) {
                s += v;
            }
            return s;
        }).toArray();
    }

    private static int[] response(Tokenizer tokenizer, String text) {
        int[] body = tokenizer.encode(text);
        int[] ids = Arrays.copyOf(body, body.length + 1);
        ids[body.length] = tokenizer.eosId();
        return ids;
    }

    private static List<Integer> ints(int[] a) {
        return Arrays.stream(a).boxed().toList();
    }

    private static int[] toArray(List<Integer> ids) {
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }
}
