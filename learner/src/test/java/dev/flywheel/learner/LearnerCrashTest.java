package dev.flywheel.learner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flywheel.core.bootstrap.ShippedModels;
import dev.flywheel.core.store.ModelStore;
import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.runtime.embedded.EmbeddedKafkaExtension;
import dev.flywheel.runtime.topics.Topics;
import dev.flywheel.schemas.OffsetRange;
import dev.flywheel.schemas.PolicyVersion;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Must-show 3: a learner killed with SIGKILL at three random points and restarted each time publishes versions
 * whose lineage ranges cover every consumed offset exactly once, with no version number published twice.
 */
class LearnerCrashTest {
    private static final Logger LOG = LoggerFactory.getLogger(LearnerCrashTest.class);
    private static final int GROUPS = 640;
    private static final int SAMPLES = 4;

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.singleNode();

    @TempDir
    Path dir;

    private Process child;

    @AfterEach
    void killChild() {
        if (child != null) {
            child.destroyForcibly();
        }
    }

    @Test
    void killedThreeTimesTheLearnerStillTrainsEveryRecordExactlyOnce() throws Exception {
        KafkaSettings kafka = KafkaSettings.of(KAFKA.bootstrapServers());
        Topics topics = TestStreams.createTopics(KAFKA.bootstrapServers(), "crash.");
        ModelStore store = ShippedModels.install(dir);
        TestStreams.produceScored(KAFKA.bootstrapServers(), topics.scoredRollouts().name(),
                TestStreams.scoredRollouts(store, GROUPS, SAMPLES, 9));
        long batches = GROUPS * SAMPLES / 16;
        Random random = new Random(20261127);
        // Three random points of the run, in versions published so far, each plus up to 300 ms into the next interval.
        long[] killAt = {3 + random.nextInt(15), 25 + random.nextInt(15), 50 + random.nextInt(15)};
        for (long point : killAt) {
            AtomicLong newest = new AtomicLong();
            child = start(topics, newest);
            await().atMost(Duration.ofMinutes(3)).until(() -> newest.get() >= point || !child.isAlive());
            assertThat(child.isAlive()).as("learner child still running").isTrue();
            Thread.sleep(random.nextInt(300));
            child.destroyForcibly().waitFor();
            LOG.info("killed the learner at v{} (aimed at v{})", newest.get(), point);
        }
        // The last run trains what is left: every group is complete, so every record ends in a batch and every
        // interval closes (GROUPS * SAMPLES / 16 batches is a multiple of publishEvery = 2 steps).
        try (Learner learner = Learner.start(kafka, LearnerProcess.config(dir, topics, 0), new SimpleMeterRegistry())) {
            await().atMost(Duration.ofMinutes(5)).until(() -> learner.status().version() >= batches / 2);
            assertThat(learner.status().failure()).isNull();
        }
        List<PolicyVersion> versions = TestStreams.versions(KAFKA.bootstrapServers(), topics.policyVersions().name());
        assertThat(versions).extracting(PolicyVersion::getVersion).doesNotHaveDuplicates()
                .isSortedAccordingTo(Long::compare).hasSize((int) (batches / 2)).startsWith(1L);
        assertCoveredExactlyOnce(versions, endOffsets(kafka, topics.scoredRollouts().name()));
    }

    private static void assertCoveredExactlyOnce(List<PolicyVersion> versions, Map<TopicPartition, Long> end) {
        Map<TopicPartition, List<OffsetRange>> byPartition = new TreeMap<>(
                java.util.Comparator.comparing(TopicPartition::toString));
        versions.forEach(v -> v.getLineage().forEach(r -> byPartition.computeIfAbsent(
                new TopicPartition(r.getTopic(), r.getPartition()), k -> new ArrayList<>()).add(r)));
        assertThat(byPartition.keySet()).containsExactlyInAnyOrderElementsOf(
                end.entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey).toList());
        byPartition.forEach((tp, ranges) -> {
            ranges.sort(java.util.Comparator.comparingLong(OffsetRange::getFromOffset));
            long next = 0;
            for (OffsetRange r : ranges) {
                assertThat(r.getFromOffset()).as("%s: range %s starts where the previous ended (no gap, no overlap)",
                        tp, r).isEqualTo(next);
                next = r.getToOffset();
            }
            assertThat(next).as("%s covered to its end offset", tp).isEqualTo(end.get(tp));
        });
    }

    private static Map<TopicPartition, Long> endOffsets(KafkaSettings kafka, String topic) throws Exception {
        try (Admin admin = Admin.create(kafka.adminProperties())) {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> request = new TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
            for (int p = 0; p < partitions; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> out = new TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
            admin.listOffsets(request).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
            return out;
        }
    }

    private Process start(Topics topics, AtomicLong newest) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
                "-cp", System.getProperty("java.class.path"), LearnerProcess.class.getName(),
                KAFKA.bootstrapServers(), dir.toString(), topics.prefix());
        pb.environment().put("DJL_OFFLINE", "true");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("published v") || line.startsWith("started at v")) {
                        newest.set(Long.parseLong(line.substring(line.lastIndexOf('v') + 1).trim()));
                    }
                    if (line.startsWith("published") || line.startsWith("started") || line.contains("WARN")
                            || line.contains("ERROR")) {
                        LOG.info("child: {}", line);
                    }
                }
            } catch (java.io.IOException closed) {
                // The child was killed.
            }
        }, "learner-child-output");
        reader.setDaemon(true);
        reader.start();
        return p;
    }
}
