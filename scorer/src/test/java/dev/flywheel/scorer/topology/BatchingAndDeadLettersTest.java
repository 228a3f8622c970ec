package dev.flywheel.scorer.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.flywheel.core.store.ModelStore;
import dev.flywheel.runtime.deadletter.DeadLetterHeaders;
import dev.flywheel.runtime.deadletter.DeadLetters;
import dev.flywheel.schemas.MetricKind;
import dev.flywheel.schemas.MetricPoint;
import dev.flywheel.schemas.Rollout;
import dev.flywheel.schemas.ScoredRollout;
import dev.flywheel.schemas.serde.AvroSerdes;
import dev.flywheel.scorer.ScorerConfig;
import dev.flywheel.scorer.TestRollouts;
import dev.flywheel.scorer.reward.RewardMode;
import dev.flywheel.scorer.reward.RewardRecipe;
import dev.flywheel.scorer.scoring.ModelsInUse;
import dev.flywheel.scorer.stats.Summary;
import dev.flywheel.scorer.validation.InvalidRolloutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Micro-batching, dead letters and window statistics of the topology in a {@code TopologyTestDriver}. */
class BatchingAndDeadLettersTest {
    @TempDir
    static Path dir;
    private static ModelsInUse models;

    @BeforeAll
    static void bootstrap() {
        ModelStore store = TestRollouts.bootstrap(dir.resolve("models"));
        models = TestRollouts.models(store, 0.05);
    }

    @AfterAll
    static void closeModels() {
        TestRollouts.close(models);
    }

    private static ScorerConfig config(RewardMode mode, int batchSize) {
        return ScorerConfig.builder(dir).reward(RewardRecipe.of(mode)).batches(batchSize, ScorerDriver.delay()).build();
    }

    @Test
    void scoresFullBatchesAtOnceAndThePartialOneWhenItsOldestRolloutHasWaitedTheMaxDelay() {
        List<Rollout> rollouts = TestRollouts.sampled(models.reference(), "b", 10, 1.0f, 51);
        try (ScorerDriver driver = new ScorerDriver(config(RewardMode.RM, 4), models)) {
            driver.pipe(rollouts);
            List<ScoredRollout> first = driver.scoredValues();
            assertThat(first).extracting(ScoredRollout::getId).containsExactly("b-0", "b-1", "b-2", "b-3", "b-4", "b-5",
                    "b-6", "b-7");

            driver.driver.advanceWallClockTime(Duration.ofMillis(10));
            assertThat(driver.scoredValues()).as("the partial batch waits for the max delay").isEmpty();

            driver.flushPartialBatch();
            assertThat(driver.scoredValues()).extracting(ScoredRollout::getId).containsExactly("b-8", "b-9");
            assertThat(driver.registry.get("flywheel.scorer.batch.size").summary().count()).isEqualTo(3);
            assertThat(driver.registry.get("flywheel.scorer.batch.size").summary().totalAmount()).isEqualTo(10);
            assertThat(driver.registry.get("flywheel.scorer.scored").counter().count()).isEqualTo(10);
        }
    }

    @Test
    void garbageAndSchemaInvalidRolloutsEndInDeadLettersWithReasonsWhileValidOnesKeepFlowing() {
        List<Rollout> valid = TestRollouts.sampled(models.reference(), "v", 4, 1.0f, 61);
        Rollout good = valid.get(0);
        Rollout shortLogProbs = Rollout.newBuilder(good).setId("bad-logprobs")
                .setBehaviourLogProbs(good.getBehaviourLogProbs().subList(0, 2)).build();
        List<Integer> outside = new ArrayList<>(good.getResponseTokenIds());
        outside.set(1, 100_000);
        Rollout badToken = Rollout.newBuilder(good).setId("bad-token").setResponseTokenIds(outside).build();
        byte[] garbage = "not a rollout".getBytes(StandardCharsets.UTF_8);
        byte[] shortBytes = AvroSerdes.rollout().serializer().serialize("t", shortLogProbs);

        try (ScorerDriver driver = new ScorerDriver(config(RewardMode.RM, 2), models)) {
            driver.rollouts.pipeInput(valid.get(0).getPromptId(), valid.get(0));
            driver.rawRollouts.pipeInput("k-garbage".getBytes(StandardCharsets.UTF_8), garbage);
            driver.rollouts.pipeInput(valid.get(1).getPromptId(), valid.get(1));
            driver.rawRollouts.pipeInput("k-short".getBytes(StandardCharsets.UTF_8), shortBytes);
            driver.rollouts.pipeInput(valid.get(2).getPromptId(), valid.get(2));
            driver.rollouts.pipeInput("k-token", badToken);
            driver.rollouts.pipeInput(valid.get(3).getPromptId(), valid.get(3));

            assertThat(driver.scoredValues()).extracting(ScoredRollout::getId).containsExactly("v-0", "v-1", "v-2", "v-3");
            // The garbage record's dead letter is checked on a real broker (ScorerCrashTest): the test driver drops
            // what a deserialization handler asks to send, though Kafka Streams itself sends it.
            List<TestRecord<byte[], byte[]>> dead = driver.deadLetterRecords();
            assertThat(dead).hasSize(2);
            assertThat(dead.get(0).value()).isEqualTo(shortBytes);
            assertThat(header(dead.get(0), DeadLetterHeaders.ERROR_CLASS)).isEqualTo(InvalidRolloutException.class.getName());
            assertThat(header(dead.get(0), DeadLetterHeaders.ERROR_MESSAGE)).contains("bad-logprobs", "behaviourLogProbs has 2");
            assertThat(header(dead.get(0), DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("3");
            assertThat(header(dead.get(1), DeadLetterHeaders.ERROR_MESSAGE)).contains("bad-token",
                    "responseTokenIds[1] = 100000 is outside the vocabulary");
            assertThat(header(dead.get(1), DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("5");
            assertThat(dead).allSatisfy(d -> assertThat(header(d, DeadLetterHeaders.SOURCE_TOPIC))
                    .isEqualTo(driver.config.topics().rollouts().name()));
            assertThat(driver.registry.get(DeadLetters.COUNTER).counter().count()).as("garbage and both invalid")
                    .isEqualTo(3);
        }
    }

    @Test
    void publishesCountMeanStdAndPercentilesPerPolicyVersionAndTenSecondWindow() {
        List<Rollout> sampled = TestRollouts.sampled(models.reference(), "w", 9, 1.0f, 71);
        List<Rollout> v1 = new ArrayList<>();
        List<Rollout> v2 = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            (i % 3 == 2 ? v2 : v1).add(Rollout.newBuilder(sampled.get(i)).setPolicyVersion(i % 3 == 2 ? 2 : 1).build());
        }
        try (ScorerDriver driver = new ScorerDriver(config(RewardMode.RM_AND_JUDGE, 1), models)) {
            driver.scoringTime(ScorerDriver.START.plusSeconds(1));
            driver.pipe(v1.subList(0, 3));
            driver.pipe(v2);
            driver.scoringTime(ScorerDriver.START.plusSeconds(9));
            driver.pipe(v1.subList(3, v1.size()));
            List<ScoredRollout> window = driver.scoredValues();
            assertThat(driver.metrics.readValuesToList()).as("the window is still open").isEmpty();

            driver.scoringTime(ScorerDriver.START.plusSeconds(12));
            driver.pipe(List.of(Rollout.newBuilder(sampled.get(8)).setPolicyVersion(1).build()));
            Map<String, MetricPoint> points = driver.metrics.readValuesToList().stream()
                    .collect(Collectors.toMap(p -> p.getSeries() + "@v" + p.getPolicyVersion(), Function.identity()));

            for (long version : new long[] {1, 2}) {
                List<ScoredRollout> ofVersion = window.stream().filter(s -> s.getPolicyVersion() == version).toList();
                MetricPoint count = points.get("scorer.rollouts.count@v" + version);
                assertThat(count.getValue()).isEqualTo(ofVersion.size());
                assertThat(count.getKind()).isEqualTo(MetricKind.STAT);
                assertThat(count.getWindowStart()).isEqualTo(ScorerDriver.START);
                assertThat(count.getWindowEnd()).isEqualTo(ScorerDriver.START.plusSeconds(10));
                Summary rm = Summary.of(ofVersion.stream().mapToDouble(ScoredRollout::getRmScore).toArray());
                Summary kl = Summary.of(ofVersion.stream().mapToDouble(ScoredRollout::getSequenceKl).toArray());
                Summary length = Summary.of(ofVersion.stream()
                        .mapToDouble(s -> s.getRollout().getResponseTokenIds().size()).toArray());
                assertThat(points.get("scorer.rm_score.mean@v" + version).getValue()).isCloseTo(rm.mean(), within(1e-12));
                assertThat(points.get("scorer.rm_score.std@v" + version).getValue()).isCloseTo(rm.std(), within(1e-12));
                assertThat(points.get("scorer.rm_score.p10@v" + version).getValue()).isCloseTo(rm.p10(), within(1e-12));
                assertThat(points.get("scorer.rm_score.p50@v" + version).getValue()).isCloseTo(rm.p50(), within(1e-12));
                assertThat(points.get("scorer.rm_score.p90@v" + version).getValue()).isCloseTo(rm.p90(), within(1e-12));
                assertThat(points.get("scorer.kl.mean@v" + version).getValue()).isCloseTo(kl.mean(), within(1e-12));
                assertThat(points.get("scorer.response_length.p50@v" + version).getValue())
                        .isCloseTo(length.p50(), within(1e-12));
                long wrong = ofVersion.stream().filter(s -> s.getJudgeLabel().name().equals("WRONG")).count();
                assertThat(points.get("scorer.judge.wrong_rate@v" + version).getValue())
                        .isCloseTo((double) wrong / ofVersion.size(), within(1e-12));
                assertThat(points.get("scorer.judge.right_rate@v" + version).getValue()
                        + points.get("scorer.judge.refuse_rate@v" + version).getValue()
                        + points.get("scorer.judge.wrong_rate@v" + version).getValue()).isCloseTo(1.0, within(1e-12));
            }
            assertThat(points.get("scorer.rollouts.count@v1").getValue()).isEqualTo(v1.size());
            assertThat(points.get("scorer.rollouts.count@v2").getValue()).isEqualTo(v2.size());
        }
    }

    @Test
    void summaryPercentilesInterpolateBetweenOrderStatistics() {
        Summary s = Summary.of(new double[] {4, 1, 3, 2, 5});
        assertThat(s.count()).isEqualTo(5);
        assertThat(s.mean()).isEqualTo(3.0);
        assertThat(s.std()).isCloseTo(Math.sqrt(2.0), within(1e-12));
        assertThat(s.p10()).isCloseTo(1.4, within(1e-12));
        assertThat(s.p50()).isEqualTo(3.0);
        assertThat(s.p90()).isCloseTo(4.6, within(1e-12));
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        return DeadLetterHeaders.text(record.headers(), name);
    }
}
