package dev.flywheel.generator.swap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.djl.Device;
import dev.flywheel.core.bootstrap.Bootstrap;
import dev.flywheel.core.bootstrap.BootstrapListener;
import dev.flywheel.core.bootstrap.BootstrapOptions;
import dev.flywheel.core.model.TransformerModel;
import dev.flywheel.core.store.Checkpoint;
import dev.flywheel.core.store.ModelStore;
import dev.flywheel.core.store.StoredCheckpoint;
import dev.flywheel.generator.metrics.GeneratorMetrics;
import dev.flywheel.schemas.PolicyVersion;
import dev.flywheel.schemas.serde.TrustedSchemaPackage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicySwapperTest {
    @TempDir
    static Path dir;
    static ModelStore store;
    static StoredCheckpoint good;
    static StoredCheckpoint alsoGood;
    static StoredCheckpoint corrupt;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final GeneratorMetrics metrics = new GeneratorMetrics(registry, "t");
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final SwapEvents recording = new SwapEvents() {
        @Override
        public void swapped(long from, long to, Duration latency) {
            events.add("swapped " + from + "->" + to);
        }

        @Override
        public void versionRejected(long version, String reason, String message) {
            events.add("rejected " + version + " " + reason);
        }
    };

    @BeforeAll
    static void models() throws Exception {
        Bootstrap.run(BootstrapOptions.quick(dir, 5), BootstrapListener.silent());
        store = ModelStore.open(dir);
        good = storeFresh(1);
        alsoGood = storeFresh(2);
        corrupt = storeFresh(3);
        byte[] bytes = Files.readAllBytes(corrupt.path());
        bytes[bytes.length - 10] ^= 1;
        Files.write(corrupt.path(), bytes);
    }

    @Test
    void startsFromTheNewestVersionThatLoadsAndRejectsNewerBadOnes() {
        try (PolicySwapper swapper = PolicySwapper.startingFrom(List.of(version(1, good), version(2, corrupt)),
                loader(), Bootstrap.POLICY_REF, metrics, recording)) {
            assertThat(swapper.current().version()).isEqualTo(1);
            assertThat(swapper.current().sha256()).isEqualTo(good.sha256());
            assertThat(swapper.staleness()).as("the rejected version is not a staleness target").isZero();
            assertThat(events).containsExactly("rejected 2 corrupt");
        }
    }

    @Test
    void startsFromPolicyV0AsVersionZeroWhenNothingWasPublished() {
        try (PolicySwapper swapper = PolicySwapper.startingFrom(List.of(), loader(), Bootstrap.POLICY_REF, metrics, recording)) {
            assertThat(swapper.current().version()).isZero();
            assertThat(swapper.current().sha256()).isEqualTo(store.ref(Bootstrap.POLICY_REF).orElseThrow());
        }
    }

    @Test
    void loadsInTheBackgroundAndSwapsOnlyBetweenBatches() {
        try (PolicySwapper swapper = PolicySwapper.startingFrom(List.of(), loader(), Bootstrap.POLICY_REF, metrics, recording)) {
            swapper.observe(version(1, good));
            assertThat(swapper.staleness()).isEqualTo(1);
            assertThat(swapper.current().version()).as("nothing changes until the sampling thread asks").isZero();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                swapper.swapIfPending();
                return swapper.current().version() == 1;
            });
            assertThat(swapper.staleness()).isZero();
            assertThat(events).containsExactly("swapped 0->1");
            assertThat(registry.get(GeneratorMetrics.SWAP_LATENCY).timer().count()).isEqualTo(1);

            swapper.observe(version(1, alsoGood));
            swapper.observe(version(3, corrupt));
            await().atMost(Duration.ofSeconds(60)).until(() -> events.size() == 2);
            swapper.swapIfPending();
            assertThat(events).containsExactly("swapped 0->1", "rejected 3 corrupt");
            assertThat(swapper.current().version()).isEqualTo(1);
            assertThat(swapper.current().sha256()).as("a republished old version number is ignored").isEqualTo(good.sha256());
            assertThat(swapper.staleness()).isZero();
        }
    }

    private static PolicyLoader loader() {
        return new PolicyLoader(store, Device.cpu());
    }

    private static StoredCheckpoint storeFresh(long seed) {
        try (TransformerModel v0 = store.loadRef(Bootstrap.POLICY_REF).toModel(Device.cpu());
             TransformerModel fresh = TransformerModel.create(v0.config(), v0.tokenizer(), seed, Device.cpu())) {
            return store.save(Checkpoint.of(fresh));
        }
    }

    private static PolicyVersion version(long number, StoredCheckpoint stored) {
        // Building a PolicyVersion resolves its default lineage of OffsetRange records, which Avro only allows
        // once the package is trusted (the serdes do that, but none may have been created yet in this JVM).
        TrustedSchemaPackage.ensureTrusted();
        return PolicyVersion.newBuilder().setId("policy@" + number).setTs(Instant.now()).setModel("policy")
                .setVersion(number).setStep(number).setSha256(stored.sha256()).setUri(stored.uri().toString())
                .setSizeBytes(stored.size()).setBeta(0.1).setAlgo("ppo").build();
    }
}
