package dev.flywheel.runtime.bridge;

import static dev.flywheel.runtime.bridge.TestCluster.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flywheel.runtime.embedded.EmbeddedKafkaExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * At-least-once across a real crash: the consuming JVM is killed with SIGKILL, so it neither closes its consumer
 * nor commits on revocation; only what it committed while alive survives.
 */
class CrashRedeliveryTest {
    private static final Logger LOG = LoggerFactory.getLogger(CrashRedeliveryTest.class);
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final int PARTITIONS = 3;
    private static final int TOTAL = 2_000;
    private static final int PREFIX = 200;
    private static final int SIGKILL_EXIT_CODE = 128 + 9;

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.singleNode()
            .withBrokerProperty("group.initial.rebalance.delay.ms", "0");

    @TempDir
    Path dir;
    private TestCluster cluster;
    private Process child;
    private Disposable successor;

    @BeforeEach
    void connect() {
        cluster = new TestCluster(KAFKA.bootstrapServers());
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        if (successor != null) {
            successor.dispose();
        }
        if (child != null && child.isAlive()) {
            child.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
        }
        cluster.close();
    }

    /**
     * The child acknowledges offsets 0..199 of every partition and, past the unacknowledged 200, also 207, 231 and
     * 350. A commit never passes an unacknowledged record, so the group's offset is 200 everywhere when the child
     * dies, and those three acknowledged records must come again with everything else from 200 on.
     */
    @Test
    void sigkilledConsumerLeavesOnlyTheAcknowledgedPrefixCommittedSoAllAfterItIsRedeliveredEvenAcksPastTheGap()
            throws Exception {
        String topic = unique("crash");
        KAFKA.createTopic(topic, PARTITIONS);
        List<RecordMetadata> produced = produce(topic);
        String group = unique("g");
        Path output = dir.resolve("child.out");
        Map<TopicPartition, Long> prefixEnd = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            prefixEnd.put(new TopicPartition(topic, p), (long) PREFIX);
        }

        child = launchChild(topic, group, output);
        await().atMost(PATIENCE).until(() -> !child.isAlive()
                || read(output).contains(CrashingConsumerMain.ACKNOWLEDGED) && reaches(cluster.committedOffsets(group), prefixEnd));
        assertThat(child.isAlive()).as("child still running; its output:%n%s", read(output)).isTrue();
        int ackSetSize = PARTITIONS * (PREFIX + CrashingConsumerMain.SCATTERED_PAST_PREFIX.size());
        assertThat(read(output)).contains(CrashingConsumerMain.ACKNOWLEDGED + " " + ackSetSize + " of " + TOTAL);
        // The child acknowledged partition 0's offset 199 last, so the commit that took it to 200 came after the
        // receiver knew every acknowledgement past the gap: anything beyond 200 here is a commit past offset 200,
        // which was never acknowledged.
        assertThat(cluster.committedOffsets(group)).as("commits stop at the first unacknowledged offset")
                .isEqualTo(prefixEnd);

        child.destroyForcibly();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child died").isTrue();
        long killedAt = System.nanoTime();
        assertThat(child.exitValue()).as("child ended by SIGKILL, not by exiting").isEqualTo(SIGKILL_EXIT_CODE);
        Map<TopicPartition, Long> committed = cluster.committedOffsets(group);
        assertThat(committed).as("a killed consumer commits nothing more").isEqualTo(prefixEnd);
        LOG.info("child output:\n{}", read(output));

        RecordingSubscriber<String, String> redelivery = RecordingSubscriber.acknowledging();
        successor = successorReceiver(topic, group).receive().subscribeWith(redelivery);
        await().atMost(PATIENCE).until(() -> !redelivery.received().isEmpty());
        Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
        // Acknowledged as delivered, so once the group has committed the log end, every redelivery has been recorded.
        await().atMost(PATIENCE).until(() -> cluster.committedOffsets(group).equals(cluster.endOffsets(topic, PARTITIONS)));

        Set<String> all = produced.stream().map(m -> id(m.partition(), m.offset())).collect(Collectors.toSet());
        Set<String> committedPrefix = all.stream().filter(id -> offsetOf(id) < committed.get(partitionOf(topic, id)))
                .collect(Collectors.toSet());
        List<String> redelivered = redelivery.received().stream()
                .map(r -> id(r.topicPartition().partition(), r.offset())).toList();
        Set<String> acknowledgedPastGap = new HashSet<>();
        for (int p = 0; p < PARTITIONS; p++) {
            for (long past : CrashingConsumerMain.SCATTERED_PAST_PREFIX) {
                acknowledgedPastGap.add(id(p, PREFIX + past));
            }
        }

        assertThat(redelivery.error()).isNull();
        assertThat(redelivered).as("each record redelivered once").doesNotHaveDuplicates();
        assertThat(intersection(committedPrefix, redelivered)).as("no committed record comes again").isEmpty();
        assertThat(union(committedPrefix, redelivered)).as("committed prefix and redelivery cover every record")
                .isEqualTo(all);
        assertThat(redelivered).as("acknowledged past the gap, hence never committed, hence redelivered")
                .containsAll(acknowledgedPastGap);
        assertThat(redelivered).hasSize(TOTAL - PARTITIONS * PREFIX);
        LOG.info("crash: committed prefix {} records, redelivered {}, takeover after the kill {} ms",
                committedPrefix.size(), redelivered.size(), takeover.toMillis());
    }

    private List<RecordMetadata> produce(String topic) {
        List<ProducerRecord<String, String>> records = new ArrayList<>(TOTAL);
        for (int i = 0; i < TOTAL; i++) {
            records.add(new ProducerRecord<>(topic, i % PARTITIONS, BridgeScenarios.keyOf(i), BridgeScenarios.valueOf(i)));
        }
        return cluster.produceStrings(records);
    }

    private Process launchChild(String topic, String group, Path output) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-Xmx256m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), CrashingConsumerMain.class.getName(),
                KAFKA.bootstrapServers(), topic, group, Integer.toString(PREFIX), Integer.toString(TOTAL));
        builder.redirectErrorStream(true).redirectOutput(output.toFile());
        // stdin stays a pipe the parent never writes: the child exits when it closes, so it cannot outlive the test JVM.
        builder.redirectInput(ProcessBuilder.Redirect.PIPE);
        return builder.start();
    }

    private KafkaReceiver<String, String> successorReceiver(String topic, String group) {
        return KafkaReceiver.create(ReceiverOptions.builder(cluster.consumerProperties(group), new StringDeserializer(),
                        new StringDeserializer()).subscribe(topic).commitInterval(Duration.ofMillis(100))
                .name("successor").build(), new SimpleMeterRegistry());
    }

    private static boolean reaches(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> target) {
        return target.entrySet().stream().allMatch(e -> committed.getOrDefault(e.getKey(), -1L) >= e.getValue());
    }

    private static String id(int partition, long offset) {
        return partition + "@" + offset;
    }

    private static TopicPartition partitionOf(String topic, String id) {
        return new TopicPartition(topic, Integer.parseInt(id.substring(0, id.indexOf('@'))));
    }

    private static long offsetOf(String id) {
        return Long.parseLong(id.substring(id.indexOf('@') + 1));
    }

    private static Set<String> intersection(Set<String> a, List<String> b) {
        Set<String> both = new HashSet<>(b);
        both.retainAll(a);
        return both;
    }

    private static Set<String> union(Set<String> a, List<String> b) {
        Set<String> either = new HashSet<>(a);
        either.addAll(b);
        return either;
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
