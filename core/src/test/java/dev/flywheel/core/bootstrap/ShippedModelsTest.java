package dev.flywheel.core.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import dev.flywheel.core.model.RewardModel;
import dev.flywheel.core.model.TransformerModel;
import dev.flywheel.core.store.CorruptCheckpointException;
import dev.flywheel.core.store.ModelStore;
import dev.flywheel.core.task.DefaultTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShippedModelsTest {

    @Test
    void shippedModelsInstallWithTheHashesTheManifestRecords(@TempDir Path dir) throws Exception {
        BootstrapManifest manifest = ShippedModels.manifest();
        Map<String, String> refs = manifest.refs();
        assertThat(refs).containsOnlyKeys(Bootstrap.POLICY_REF, Bootstrap.REFERENCE_REF, Bootstrap.REWARD_MODEL_REF);
        assertThat(refs.get(Bootstrap.REFERENCE_REF)).isEqualTo(refs.get(Bootstrap.POLICY_REF));
        assertThat(manifest.command()).startsWith("flywheel bootstrap --out ")
                .contains("--seed " + BootstrapOptions.SHIPPED_SEED).doesNotContain("--quick");

        ModelStore store = ShippedModels.install(dir);
        for (Map.Entry<String, String> ref : refs.entrySet()) {
            assertThat(store.ref(ref.getKey())).contains(ref.getValue());
            assertThat(ModelStore.sha256(Files.readAllBytes(store.pathOf(ref.getValue())))).isEqualTo(ref.getValue());
        }
        assertThat(BootstrapManifest.read(dir).refs()).isEqualTo(refs);
        // installing again over an existing store is harmless
        assertThat(ShippedModels.install(dir).ref(Bootstrap.POLICY_REF)).contains(refs.get(Bootstrap.POLICY_REF));
    }

    @Test
    void shippedPolicyAndRewardModelLoadAndBehaveAsTheManifestReports(@TempDir Path dir) {
        BootstrapManifest manifest = ShippedModels.manifest();
        ModelStore store = ShippedModels.install(dir);
        DefaultTask task = DefaultTask.withSeed(Long.parseLong(manifest.get("report.seed").orElseThrow()));
        try (TransformerModel policy = store.loadRef(Bootstrap.POLICY_REF).toModel(Device.cpu());
             RewardModel rm = RewardModel.wrapping(store.loadRef(Bootstrap.REWARD_MODEL_REF).toModel(Device.cpu()))) {
            VerdictRates in = PolicyGrader.grade(policy, task.inKnowledgeEvaluation(), PolicyGrader.greedy(), 0);
            VerdictRates out = PolicyGrader.grade(policy, task.outOfKnowledgeEvaluation(), PolicyGrader.greedy(), 0);
            // greedy decoding is deterministic: the shipped weights reproduce the recorded rates exactly
            assertThat(in.right()).isEqualTo(recorded(manifest, "sft.greedy.in-knowledge.right"), org.assertj.core.api.Assertions.within(1e-4));
            assertThat(out.wrong()).isEqualTo(recorded(manifest, "sft.greedy.out-of-knowledge.wrong"), org.assertj.core.api.Assertions.within(1e-4));
            assertThat(in.right()).isGreaterThanOrEqualTo(BootstrapReport.MIN_IN_KNOWLEDGE_RIGHT);
            assertThat(out.wrong()).isGreaterThanOrEqualTo(BootstrapReport.MIN_OUT_OF_KNOWLEDGE_WRONG);

            int n = Integer.parseInt(manifest.get("report.reward-model.comparisons").orElseThrow());
            RewardModelEvaluation rmEval = RewardModelGrader.grade(rm, Bootstrap.heldOutComparisons(task, n), Double.NaN);
            assertThat(rmEval.accuracy()).isEqualTo(recorded(manifest, "reward-model.accuracy"), org.assertj.core.api.Assertions.within(1e-4));
            assertThat(rmEval.accuracy()).isGreaterThanOrEqualTo(BootstrapReport.MIN_REWARD_ACCURACY);
            assertThat(rmEval.outOfKnowledgeAccuracy())
                    .as("a refusal scores above a guessed code on names nothing was trained on")
                    .isEqualTo(recorded(manifest, "reward-model.out-of-knowledge-accuracy"), org.assertj.core.api.Assertions.within(1e-4))
                    .isGreaterThan(0.9);
        }
    }

    @Test
    void aTamperedCheckpointIsRejectedOnLoadAndRepairedByInstallingAgain(@TempDir Path dir) throws Exception {
        ModelStore store = ShippedModels.install(dir);
        String sha = store.ref(Bootstrap.REWARD_MODEL_REF).orElseThrow();
        byte[] bytes = Files.readAllBytes(store.pathOf(sha));
        bytes[bytes.length / 2] ^= 1;
        Files.write(store.pathOf(sha), bytes);
        assertThatThrownBy(() -> store.loadRef(Bootstrap.REWARD_MODEL_REF))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining(sha);
        ShippedModels.install(dir);
        assertThat(ModelStore.sha256(Files.readAllBytes(store.pathOf(sha)))).isEqualTo(sha);
    }

    private static double recorded(BootstrapManifest manifest, String key) {
        return Double.parseDouble(manifest.get("report." + key).orElseThrow(() -> new AssertionError("manifest lacks report." + key)));
    }
}
