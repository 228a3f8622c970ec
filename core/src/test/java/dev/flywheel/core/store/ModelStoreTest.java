package dev.flywheel.core.store;

import ai.djl.Device;
import dev.flywheel.core.model.TinyModels;
import dev.flywheel.core.model.TransformerModel;
import dev.flywheel.core.optim.AdamW;
import dev.flywheel.core.optim.AdamWConfig;
import dev.flywheel.core.optim.LearningRateSchedule;
import dev.flywheel.core.sampling.SamplingParams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelStoreTest {

    @TempDir
    Path dir;

    @Test
    void roundTripIsBitIdenticalAndBehavesTheSame() throws IOException {
        ModelStore store = ModelStore.open(dir);
        try (TransformerModel m = TinyModels.small(21)) {
            StoredCheckpoint saved = store.save(Checkpoint.of(m).withMetadata("kind", "policy"));
            assertThat(saved.path().getFileName().toString()).isEqualTo(saved.sha256() + ".ckpt");
            assertThat(ModelStore.sha256(Files.readAllBytes(saved.path()))).isEqualTo(saved.sha256());
            assertThat(saved.size()).isEqualTo(Files.size(saved.path()));

            Checkpoint loaded = store.load(saved.sha256());
            assertThat(loaded.parameters()).isEqualTo(m.tensors());
            assertThat(loaded.config()).isEqualTo(m.config());
            assertThat(loaded.metadata()).containsEntry("kind", "policy");
            assertThat(loaded.parsedTokenizer().version()).isEqualTo(m.tokenizer().version());
            // Re-saving what was loaded writes the same bytes, hence the same name.
            assertThat(store.save(loaded).sha256()).isEqualTo(saved.sha256());

            List<int[]> prompts = TinyModels.prompts("4+4=", "10+1=");
            try (TransformerModel back = loaded.toModel(Device.cpu())) {
                SamplingParams p = SamplingParams.of(12, 5L);
                assertThat(back.sample(prompts, p)).isEqualTo(m.sample(prompts, p));
            }
        }
    }

    @Test
    void loadsByFileUriAndByStoreUri() {
        ModelStore store = ModelStore.open(dir);
        try (TransformerModel m = TinyModels.tiny(2)) {
            StoredCheckpoint saved = store.save(Checkpoint.of(m));
            assertThat(saved.uri().getScheme()).isEqualTo("file");
            assertThat(store.load(saved.uri()).parameters()).isEqualTo(m.tensors());
            URI storeUri = ModelStore.storeUri(saved.sha256());
            assertThat(storeUri.toString()).isEqualTo("store:" + saved.sha256());
            assertThat(store.load(storeUri).parameters()).isEqualTo(m.tensors());
        }
    }

    @Test
    void corruptedCheckpointFailsNamingTheFileAndBothHashes() throws IOException {
        ModelStore store = ModelStore.open(dir);
        try (TransformerModel m = TinyModels.tiny(3)) {
            StoredCheckpoint saved = store.save(Checkpoint.of(m));
            byte[] bytes = Files.readAllBytes(saved.path());
            bytes[bytes.length / 2] ^= 0x01;
            Files.write(saved.path(), bytes);
            String actual = ModelStore.sha256(bytes);
            assertThatThrownBy(() -> store.load(saved.sha256()))
                    .isInstanceOf(CorruptCheckpointException.class)
                    .hasMessageContaining(saved.path().toString())
                    .hasMessageContaining("expected sha256 " + saved.sha256())
                    .hasMessageContaining("hash to " + actual);
        }
    }

    @Test
    void sameSeedAndTrainingWriteByteIdenticalCheckpoints() {
        ModelStore store = ModelStore.open(dir);
        String first = trainAndSave(store);
        String second = trainAndSave(store);
        assertThat(second).isEqualTo(first);
        assertThat(store.load(first).optimizer()).isPresent();
        assertThat(store.load(first).optimizer().get().step()).isEqualTo(3);
    }

    private static String trainAndSave(ModelStore store) {
        try (TransformerModel m = TinyModels.tiny(4)) {
            m.setTrainable(true);
            try (AdamW opt = AdamW.over(m, AdamWConfig.defaults(), LearningRateSchedule.constant(1e-3f))) {
                for (int i = 0; i < 3; i++) {
                    opt.minimize(scope -> m.forward(scope,
                            dev.flywheel.core.model.TokenBatch.leftPadded(TinyModels.prompts("12"), 0, 32), true)
                            .logits().square().mean());
                }
                return store.save(Checkpoint.of(m).withOptimizer(opt.state()).withMetadata("step", "3")).sha256();
            }
        }
    }

    @Test
    void refsNameCheckpoints() {
        ModelStore store = ModelStore.open(dir);
        try (TransformerModel m = TinyModels.tiny(5)) {
            StoredCheckpoint saved = store.save(Checkpoint.of(m));
            store.setRef("refs/policy-v0", saved.sha256());
            assertThat(store.ref("policy-v0")).contains(saved.sha256());
            assertThat(Files.exists(dir.resolve("refs").resolve("policy-v0"))).isTrue();
            assertThat(store.loadRef("policy-v0").parameters()).isEqualTo(m.tensors());
            assertThat(store.ref("reference")).isEmpty();
            assertThatThrownBy(() -> store.loadRef("reference")).hasMessageContaining("no ref 'reference'");
            assertThatThrownBy(() -> store.setRef("../escape", saved.sha256())).hasMessageContaining("ref name");
            assertThatThrownBy(() -> store.setRef("x", "0".repeat(64))).hasMessageContaining("save it first");
        }
    }

    @Test
    void rejectsUrisThatAreNotCheckpoints() {
        ModelStore store = ModelStore.open(dir);
        assertThatThrownBy(() -> store.load(URI.create("http://example.com/x.ckpt")))
                .hasMessageContaining("unsupported checkpoint URI");
        assertThatThrownBy(() -> store.load("abc")).hasMessageContaining("not a sha256");
        assertThatThrownBy(() -> store.load("a".repeat(64))).hasMessageContaining("not found");
    }
}
