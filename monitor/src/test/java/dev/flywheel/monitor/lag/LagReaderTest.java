package dev.flywheel.monitor.lag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.runtime.embedded.EmbeddedKafkaExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LagReaderTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.singleNode();

    private static LagReader reader(String prefix, String... groups) {
        return LagReader.connect(KafkaSettings.of(KAFKA.bootstrapServers()),
                LagConfig.defaults().withTopicPrefix(prefix).withGroups(List.of(groups)));
    }

    /** Produces one record per timestamp to partition 0 of {@code topic}, at offsets 0, 1, … */
    private static void produce(String topic, long... timestamps) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            for (long ts : timestamps) {
                producer.send(new ProducerRecord<>(topic, 0, ts, "k", "v@" + ts)).get();
            }
        }
    }

    private static void commit(String group, String topic, long offset) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
            admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(offset)))
                    .all().get(60, TimeUnit.SECONDS);
        }
    }

    private static PartitionLag only(LagReport report, String group) {
        assertThat(report.group(group)).as("group %s in %s", group, report.toJson()).isPresent();
        return report.group(group).get().partitions().get(0);
    }

    @Test
    void secondsLagIsTheAgeOfTheRecordAtTheCommittedOffsetAndGrowsWhileTheConsumerIsStopped() throws Exception {
        KAFKA.createTopic("stopped.prompts", 1);
        long now = System.currentTimeMillis();
        long[] timestamps = new long[10];
        for (int i = 0; i < 10; i++) {
            timestamps[i] = now - (100 - 10L * i) * 1000; // 100 s ago, 90 s ago, … 10 s ago
        }
        produce("stopped.prompts", timestamps);
        // A real consumer reads the first four records, commits after them and stops.
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "stopped-scorer",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition("stopped.prompts", 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200));
                return consumer.position(partition) >= 4;
            });
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(4)));
        }

        try (LagReader reader = reader("stopped.")) {
            LagReport first = reader.read();
            PartitionLag lag = only(first, "stopped-scorer");
            assertThat(lag.committedOffset()).isEqualTo(4);
            assertThat(lag.endOffset()).isEqualTo(10);
            assertThat(lag.lagRecords()).isEqualTo(6);
            assertThat(lag.lagSeconds()).isCloseTo((first.at().toEpochMilli() - timestamps[4]) / 1000.0, within(1e-9))
                    .isGreaterThanOrEqualTo(60.0);
            assertThat(lag.owned()).isFalse();
            assertThat(first.group("stopped-scorer").get().status()).isEqualTo(LagStatus.STOP);

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                LagReport later = reader.read();
                PartitionLag again = only(later, "stopped-scorer");
                assertThat(again.lagRecords()).isEqualTo(6);
                assertThat(again.lagSeconds()).isGreaterThan(lag.lagSeconds())
                        .isCloseTo((later.at().toEpochMilli() - timestamps[4]) / 1000.0, within(1e-9));
            });
        }
    }

    @Test
    void caughtUpGroupHasZeroLagInRecordsAndSeconds() throws Exception {
        KAFKA.createTopic("idle.metrics", 1);
        long now = System.currentTimeMillis();
        produce("idle.metrics", now - 3_600_000, now - 1_800_000);
        commit("idle-dashboard", "idle.metrics", 2);
        try (LagReader reader = reader("idle.")) {
            PartitionLag lag = only(reader.read(), "idle-dashboard");
            assertThat(lag.lagRecords()).isZero();
            assertThat(lag.lagSeconds()).isZero();
        }
    }

    @Test
    void transactionMarkerAtTheCommittedOffsetYieldsToTheNextRecord() throws Exception {
        KAFKA.createTopic("txn.rollouts", 1);
        long now = System.currentTimeMillis();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "lag-test-generator"),
                new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction(); // offsets 0, 1, marker at 2
            producer.send(new ProducerRecord<>("txn.rollouts", 0, now - 90_000, "k", "a"));
            producer.send(new ProducerRecord<>("txn.rollouts", 0, now - 80_000, "k", "b"));
            producer.commitTransaction();
            producer.beginTransaction(); // offsets 3, 4, marker at 5
            producer.send(new ProducerRecord<>("txn.rollouts", 0, now - 50_000, "k", "c"));
            producer.send(new ProducerRecord<>("txn.rollouts", 0, now - 40_000, "k", "d"));
            producer.commitTransaction();
        }
        commit("txn-scorer", "txn.rollouts", 2);
        commit("txn-done", "txn.rollouts", 5);

        try (LagReader reader = reader("txn.")) {
            LagReport report = reader.read();
            PartitionLag behind = only(report, "txn-scorer");
            assertThat(behind.lagRecords()).as("end offset 6 counts both markers, as Kafka's tool does").isEqualTo(4);
            assertThat(behind.lagSeconds()).isCloseTo((report.at().toEpochMilli() - (now - 50_000)) / 1000.0, within(1e-9));
            PartitionLag done = only(report, "txn-done");
            assertThat(done.lagRecords()).as("only the last marker is left").isEqualTo(1);
            assertThat(done.lagSeconds()).as("no record waits").isZero();
        }
    }

    @Test
    void recordsDeletedFromUnderTheCommittedOffsetYieldToTheOldestKeptRecord() throws Exception {
        KAFKA.createTopic("gone.prompts", 1);
        long now = System.currentTimeMillis();
        produce("gone.prompts", now - 70_000, now - 60_000, now - 50_000, now - 40_000, now - 30_000);
        commit("gone-generator", "gone.prompts", 1);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
            admin.deleteRecords(Map.of(new TopicPartition("gone.prompts", 0), RecordsToDelete.beforeOffset(3)))
                    .all().get(60, TimeUnit.SECONDS);
        }
        try (LagReader reader = reader("gone.")) {
            LagReport report = reader.read();
            PartitionLag lag = only(report, "gone-generator");
            assertThat(lag.lagRecords()).isEqualTo(4);
            assertThat(lag.lagSeconds()).isCloseTo((report.at().toEpochMilli() - (now - 40_000)) / 1000.0, within(1e-9));
        }
    }

    @Test
    void onlyGroupsOnCatalogueTopicsUnderThePrefixAreReportedUnlessNamed() throws Exception {
        KAFKA.createTopic("scope.feedback", 1);
        KAFKA.createTopic("scope-audit", 1);
        long now = System.currentTimeMillis();
        produce("scope.feedback", now - 3000, now - 2000, now - 1000);
        produce("scope-audit", now - 2000, now - 1000);
        commit("scope-ingest", "scope.feedback", 1);
        commit("scope-auditor", "scope-audit", 1);

        try (LagReader reader = reader("scope.")) {
            assertThat(reader.read().groups()).extracting(GroupLag::group).containsExactly("scope-ingest");
        }
        try (LagReader reader = reader("scope.", "scope-auditor", "scope-ghost")) {
            LagReport report = reader.read();
            assertThat(report.groups()).extracting(GroupLag::group)
                    .containsExactly("scope-auditor", "scope-ghost", "scope-ingest");
            assertThat(only(report, "scope-auditor").lagRecords()).isEqualTo(1);
            assertThat(report.group("scope-ghost").get().partitions()).isEmpty();
            assertThat(report.group("scope-ghost").get().state()).isEqualTo("Dead");
        }
    }
}
