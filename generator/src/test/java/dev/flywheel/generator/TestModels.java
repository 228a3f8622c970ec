package dev.flywheel.generator;

import ai.djl.Device;
import dev.flywheel.core.bootstrap.Bootstrap;
import dev.flywheel.core.bootstrap.BootstrapListener;
import dev.flywheel.core.bootstrap.BootstrapOptions;
import dev.flywheel.core.model.TransformerModel;
import dev.flywheel.core.store.Checkpoint;
import dev.flywheel.core.store.ModelStore;
import dev.flywheel.core.store.StoredCheckpoint;
import dev.flywheel.core.task.DefaultTask;
import dev.flywheel.core.task.Question;
import dev.flywheel.core.task.TrafficMix;
import dev.flywheel.schemas.PolicyVersion;
import dev.flywheel.schemas.serde.TrustedSchemaPackage;
import dev.flywheel.schemas.Prompt;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A quick-bootstrapped model store, further policy versions for it, and default-task prompts. */
final class TestModels {
    static final long SEED = 7;

    private final ModelStore store;

    private TestModels(ModelStore store) {
        this.store = store;
    }

    /** Runs the quick bootstrap into a store in {@code dir}. */
    static TestModels bootstrap(Path dir) {
        Bootstrap.run(BootstrapOptions.quick(dir, SEED), BootstrapListener.silent());
        return new TestModels(ModelStore.open(dir));
    }

    ModelStore store() {
        return store;
    }

    Path directory() {
        return store.directory();
    }

    /** policy-v0 as a model; close it. */
    TransformerModel policyV0() {
        return store.loadRef(Bootstrap.POLICY_REF).toModel(Device.cpu());
    }

    /** Stores a policy with policy-v0's shape and freshly drawn weights, as a learner would store a new version. */
    StoredCheckpoint storeFreshPolicy(long seed) {
        try (TransformerModel v0 = policyV0();
             TransformerModel fresh = TransformerModel.create(v0.config(), v0.tokenizer(), seed, Device.cpu())) {
            return store.save(Checkpoint.of(fresh).withMetadata("test.seed", Long.toString(seed)));
        }
    }

    /** The stored checkpoint {@code sha256} as a model; close it. */
    TransformerModel load(String sha256) {
        return store.load(sha256).toModel(Device.cpu());
    }

    /** A PolicyVersion record for a stored checkpoint. */
    static PolicyVersion versionOf(long version, StoredCheckpoint stored) {
        // Building a PolicyVersion resolves its default lineage of OffsetRange records, which Avro only allows
        // once the package is trusted (the serdes do that, but none may have been created yet in this JVM).
        TrustedSchemaPackage.ensureTrusted();
        return PolicyVersion.newBuilder().setId("policy@" + version).setTs(Instant.now()).setModel("policy")
                .setVersion(version).setParent(version - 1).setStep(version * 100).setSha256(stored.sha256())
                .setUri(ModelStore.storeUri(stored.sha256()).toString()).setSizeBytes(stored.size()).setBeta(0.05)
                .setAlgo("ppo").build();
    }

    /** {@code count} default-task prompts with ids {@code <prefix>-0 …}. */
    static List<Prompt> prompts(String prefix, int count) {
        List<Question> questions = DefaultTask.withSeed(SEED).questionSource(TrafficMix.DEFAULT, prefix.hashCode()).take(count);
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
}
