package dev.flywheel.scorer.swap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.djl.Device;
import dev.flywheel.core.bootstrap.Bootstrap;
import dev.flywheel.core.model.RewardModel;
import dev.flywheel.core.model.TransformerModel;
import dev.flywheel.core.store.Checkpoint;
import dev.flywheel.core.store.ModelStore;
import dev.flywheel.core.store.StoredCheckpoint;
import dev.flywheel.schemas.PolicyVersion;
import dev.flywheel.schemas.serde.TrustedSchemaPackage;
import dev.flywheel.scorer.TestRollouts;
import dev.flywheel.scorer.metrics.ScorerMetrics;
import dev.flywheel.scorer.scoring.ModelsInUse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hot-swap of the reward model and reference, and β from the newest policy version. */
class SwappingModelsTest {
    @TempDir
    static Path dir;
    private static ModelStore store;

    @BeforeAll
    static void bootstrap() {
        store = TestRollouts.bootstrap(dir.resolve("models"));
        TrustedSchemaPackage.ensureTrusted();
    }

    @Test
    void swapsInANewRewardModelVersionOnlyBetweenBatchesAndScoresWithIt() {
        StoredCheckpoint fresh = storeFreshRewardModel(5);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (SwappingModels models = SwappingModels.startingFrom(List.of(), store, Device.cpu(), 0.05,
                new ScorerMetrics(registry))) {
            ModelsInUse before = models.forNextBatch();
            assertThat(before.rewardVersion()).isZero();
            models.observe(version("reward-model", 1, fresh.sha256(), ModelStore.storeUri(fresh.sha256()).toString(), 0.05));

            await().atMost(Duration.ofSeconds(120)).until(() -> models.forNextBatch().rewardVersion() == 1);
            ModelsInUse after = models.current();
            assertThat(after.referenceVersion()).isZero();
            int[] prompt = after.reference().tokenizer().encodePrompt("Q: 3+4?\nA:");
            int[] response = after.reference().tokenizer().encode(" 7");
            try (RewardModel expected = RewardModel.wrapping(store.load(fresh.sha256()).toModel(Device.cpu()))) {
                assertThat(after.rewardModel().score(List.of(prompt), List.of(response))[0])
                        .isEqualTo(expected.score(List.of(prompt), List.of(response))[0]);
            }
            assertThat(registry.get("flywheel.scorer.swaps").tag("model", "reward-model").counter().count()).isEqualTo(1);
        }
    }

    @Test
    void rejectsACorruptVersionAndKeepsScoringWithTheOneInUse() throws Exception {
        StoredCheckpoint fresh = storeFreshRewardModel(6);
        byte[] bytes = Files.readAllBytes(fresh.path());
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(fresh.path(), bytes);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (SwappingModels models = SwappingModels.startingFrom(List.of(), store, Device.cpu(), 0.05,
                new ScorerMetrics(registry))) {
            models.observe(version("reward-model", 1, fresh.sha256(), ModelStore.storeUri(fresh.sha256()).toString(), 0.05));

            await().atMost(Duration.ofSeconds(120)).until(() -> registry.find("flywheel.scorer.versions.rejected")
                    .tag("reason", "corrupt").counter() != null);
            assertThat(models.forNextBatch().rewardVersion()).isZero();
        }
    }

    @Test
    void adoptsTheBetaOfTheNewestPolicyVersionAndStartsFromThePublishedHistory() {
        StoredCheckpoint fresh = storeFreshRewardModel(7);
        String uri = ModelStore.storeUri(fresh.sha256()).toString();
        List<PolicyVersion> history = List.of(version("policy", 3, fresh.sha256(), uri, 0.2),
                version("policy", 2, fresh.sha256(), uri, 0.4), version("reward-model", 4, fresh.sha256(), uri, 0));
        try (SwappingModels models = SwappingModels.startingFrom(history, store, Device.cpu(), 0.05,
                new ScorerMetrics(new SimpleMeterRegistry()))) {
            assertThat(models.current().beta()).isEqualTo(0.2);
            assertThat(models.current().rewardVersion()).isEqualTo(4);
            models.observe(version("policy", 4, fresh.sha256(), uri, 0.13));
            assertThat(models.forNextBatch().beta()).isEqualTo(0.13);
            models.observe(version("policy", 1, fresh.sha256(), uri, 9.0));
            assertThat(models.forNextBatch().beta()).as("an older version's beta is ignored").isEqualTo(0.13);
        }
    }

    private static StoredCheckpoint storeFreshRewardModel(long seed) {
        try (TransformerModel sft = store.loadRef(Bootstrap.REFERENCE_REF).toModel(Device.cpu());
             RewardModel rm = RewardModel.initialisedFrom(sft, seed)) {
            return store.save(Checkpoint.of(rm.model()).withMetadata("test.seed", Long.toString(seed)));
        }
    }

    private static PolicyVersion version(String model, long version, String sha, String uri, double beta) {
        return PolicyVersion.newBuilder().setId(model + "@" + version).setTs(Instant.now()).setModel(model)
                .setVersion(version).setParent(version - 1).setStep(version * 10).setSha256(sha).setUri(uri)
                .setSizeBytes(1).setBeta(beta).setAlgo("rm").build();
    }
}
