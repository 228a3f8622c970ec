package dev.flywheel.core.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.core.model.RewardModel;
import dev.flywheel.core.model.TransformerModel;
import dev.flywheel.core.store.Checkpoint;
import dev.flywheel.core.store.ModelStore;
import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class QuickBootstrapTest {

    @Test
    void sameSeedGivesBitIdenticalModelsAndTheStoreHoldsEveryRef(@TempDir Path tmp) {
        List<Progress> progress = new ArrayList<>();
        BootstrapListener recording = new BootstrapListener() {
            private final BootstrapListener log = BootstrapListener.logging(LoggerFactory.getLogger(QuickBootstrapTest.class));

            @Override
            public void stageStarted(Stage stage, int totalSteps) {
                log.stageStarted(stage, totalSteps);
            }

            @Override
            public void progress(Progress p) {
                progress.add(p);
            }

            @Override
            public void stageFinished(Stage stage, String summary) {
                log.stageFinished(stage, summary);
            }
        };
        BootstrapReport first = Bootstrap.run(BootstrapOptions.quick(tmp.resolve("a"), 11), recording);
        BootstrapReport second = Bootstrap.run(BootstrapOptions.quick(tmp.resolve("b"), 11), BootstrapListener.silent());

        assertThat(second.models()).isEqualTo(first.models());
        assertThat(first.models()).containsOnlyKeys(Bootstrap.POLICY_REF, Bootstrap.REFERENCE_REF, Bootstrap.REWARD_MODEL_REF);
        assertThat(first.models().get(Bootstrap.REFERENCE_REF)).isEqualTo(first.models().get(Bootstrap.POLICY_REF));
        assertThat(first.models().get(Bootstrap.REWARD_MODEL_REF)).isNotEqualTo(first.models().get(Bootstrap.POLICY_REF));

        // the file bytes on disk, not only the reported hashes, are identical
        for (String sha : first.models().values()) {
            assertThat(ModelStore.sha256(read(tmp.resolve("a").resolve(sha + ".ckpt")))).isEqualTo(sha);
            assertThat(read(tmp.resolve("b").resolve(sha + ".ckpt"))).isEqualTo(read(tmp.resolve("a").resolve(sha + ".ckpt")));
        }
        // every training stage reported its steps with finite losses
        for (Stage s : List.of(Stage.PRETRAIN, Stage.SFT, Stage.REWARD_MODEL)) {
            List<Progress> ofStage = progress.stream().filter(p -> p.stage() == s).toList();
            assertThat(ofStage).isNotEmpty();
            assertThat(ofStage.get(ofStage.size() - 1).step()).isEqualTo(ofStage.get(0).totalSteps());
            assertThat(ofStage).allMatch(p -> Double.isFinite(p.loss()) && p.loss() > 0);
        }
        assertThat(first.stages()).extracting(StageResult::stage).containsExactly(Stage.values());
        assertThat(first.greedy().inKnowledge().count()).isEqualTo(24);
        assertThat(first.rewardModel().comparisons()).isEqualTo(64);
        assertThat(first.toTable()).contains("in-knowledge", "out-of-knowledge", first.models().get(Bootstrap.POLICY_REF));

        ModelStore store = ModelStore.open(tmp.resolve("a"));
        Map<String, String> refs = BootstrapManifest.read(tmp.resolve("a")).refs();
        assertThat(refs).isEqualTo(first.models());
        assertThat(BootstrapManifest.read(tmp.resolve("a")).command()).contains("--seed 11", "--quick");
        Checkpoint rmCheckpoint = store.loadRef(Bootstrap.REWARD_MODEL_REF);
        try (TransformerModel policy = store.loadRef(Bootstrap.POLICY_REF).toModel(Device.cpu());
             RewardModel rm = RewardModel.wrapping(rmCheckpoint.toModel(Device.cpu()))) {
            assertThat(policy.config().valueHead()).isFalse();
            assertThat(policy.tokenizer()).isEqualTo(Bootstrap.tokenizer());
            float[] scores = rm.score(List.of(policy.tokenizer().encodePrompt("Q: 1+1?\nA:")),
                    List.of(StageTraining.withEos(policy.tokenizer(), " 2")));
            assertThat(scores).hasSize(1);
            assertThat(Float.isFinite(scores[0])).isTrue();
        }
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
