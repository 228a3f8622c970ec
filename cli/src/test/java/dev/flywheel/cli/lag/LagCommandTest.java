package dev.flywheel.cli.lag;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.cli.CommandRun;
import dev.flywheel.runtime.embedded.EmbeddedKafkaExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.tools.consumer.group.ConsumerGroupCommand;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LagCommandTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.singleNode();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> GROUPS = List.of("lag-generator", "lag-learner", "lag-scorer");

    /** Records per partition: fw.prompts 10/12/5, fw.rollouts 10/8/4; then three idle groups at different offsets. */
    @BeforeAll
    static void groupsWithDifferentLags() throws Exception {
        CommandRun created = CommandRun.of("topics", "create", "--bootstrap-servers", KAFKA.bootstrapServers());
        assertThat(created.exitCode()).as(created.toString()).isZero();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            produce(producer, "fw.prompts", 10, 12, 5);
            produce(producer, "fw.rollouts", 10, 8, 4);
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
            commit(admin, "lag-generator", Map.of(p("fw.prompts", 0), 2L, p("fw.prompts", 1), 7L, p("fw.prompts", 2), 0L));
            commit(admin, "lag-scorer", Map.of(p("fw.rollouts", 0), 10L, p("fw.rollouts", 1), 3L));
            commit(admin, "lag-learner", Map.of(p("fw.rollouts", 2), 1L, p("fw.prompts", 0), 9L));
        }
    }

    private static TopicPartition p(String topic, int partition) {
        return new TopicPartition(topic, partition);
    }

    private static void produce(KafkaProducer<byte[], byte[]> producer, String topic, int... counts) throws Exception {
        for (int partition = 0; partition < counts.length; partition++) {
            for (int i = 0; i < counts[partition]; i++) {
                producer.send(new ProducerRecord<>(topic, partition, null, ("r" + i).getBytes(StandardCharsets.UTF_8)))
                        .get();
            }
        }
    }

    private static void commit(Admin admin, String group, Map<TopicPartition, Long> offsets) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
        offsets.forEach((partition, offset) -> committed.put(partition, new OffsetAndMetadata(offset)));
        admin.alterConsumerGroupOffsets(group, committed).all().get(60, TimeUnit.SECONDS);
    }

    /** Records lag by "group topic partition" from {@code flywheel lag --json}, for the test's groups. */
    private static Map<String, Long> flywheelLag(String json) throws Exception {
        Map<String, Long> lags = new HashMap<>();
        for (JsonNode group : JSON.readTree(json).get("groups")) {
            if (GROUPS.contains(group.get("group").asText())) {
                for (JsonNode p : group.get("partitions")) {
                    lags.put(group.get("group").asText() + " " + p.get("topic").asText() + " " + p.get("partition").asInt(),
                            p.get("lagRecords").asLong());
                }
            }
        }
        return lags;
    }

    /** Records lag by "group topic partition" as Kafka's own kafka-consumer-groups --describe prints it. */
    private static Map<String, Long> kafkaToolLag() {
        List<String> args = new java.util.ArrayList<>(List.of("--bootstrap-server", KAFKA.bootstrapServers(), "--describe"));
        GROUPS.forEach(group -> args.addAll(List.of("--group", group)));
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            ConsumerGroupCommand.main(args.toArray(String[]::new));
        } finally {
            System.setOut(original);
        }
        Map<String, Long> lags = new HashMap<>();
        // Rows: GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\\R")) {
            String[] cells = line.trim().split("\\s+");
            if (cells.length >= 6 && GROUPS.contains(cells[0]) && cells[2].matches("\\d+")) {
                lags.put(cells[0] + " " + cells[1] + " " + cells[2], Long.parseLong(cells[5]));
            }
        }
        return lags;
    }

    @Test
    void jsonReportsTheSameRecordsLagPerPartitionAsKafkasConsumerGroupCommand() throws Exception {
        CommandRun run = CommandRun.of("lag", "--json", "--bootstrap-servers", KAFKA.bootstrapServers());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        Map<String, Long> ours = flywheelLag(run.out());
        Map<String, Long> kafkas = kafkaToolLag();

        assertThat(kafkas).as("kafka-consumer-groups saw every committed partition").hasSize(7);
        assertThat(ours).isEqualTo(kafkas);
        assertThat(ours).containsEntry("lag-generator fw.prompts 1", 12L - 7)
                .containsEntry("lag-scorer fw.rollouts 0", 0L)
                .containsEntry("lag-learner fw.prompts 0", 10L - 9);
    }

    @Test
    void jsonHoldsEachGroupWithItsStatusAndSecondsLag() throws Exception {
        CommandRun run = CommandRun.of("lag", "--json", "--bootstrap-servers", KAFKA.bootstrapServers());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode report = JSON.readTree(run.out());
        assertThat(report.get("at").asText()).isNotBlank();
        JsonNode scorer = null;
        for (JsonNode group : report.get("groups")) {
            if (group.get("group").asText().equals("lag-scorer")) {
                scorer = group;
            }
        }
        assertThat(scorer).as(run.out()).isNotNull();
        assertThat(scorer.get("state").asText()).isEqualTo("Empty");
        assertThat(scorer.get("status").asText()).as("lag with nobody consuming").isEqualTo("STOP");
        assertThat(scorer.get("totalLagRecords").asLong()).isEqualTo(5);
        assertThat(scorer.get("maxLagSeconds").asDouble()).isGreaterThanOrEqualTo(0.0);
        assertThat(scorer.get("partitions").get(0).get("consumerId").isNull()).isTrue();
    }

    @Test
    void tablePrintsKafkasColumnsPlusSecondsAndStatus() {
        CommandRun run = CommandRun.of("lag", "--bootstrap-servers", KAFKA.bootstrapServers());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.outLines().get(0).split("\\s+")).containsExactly("GROUP", "TOPIC", "PARTITION",
                "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "LAG-SECONDS", "CONSUMER-ID", "HOST", "STATUS");
        assertThat(run.outLines()).anySatisfy(line -> assertThat(line.split("\\s+"))
                .startsWith("lag-generator", "fw.prompts", "1", "7", "12", "5").endsWith("-", "-", "STOP"));
    }

    @Test
    void watchPrintsOneJsonLinePerSampleUpToTheCount() throws Exception {
        CommandRun run = CommandRun.of("lag", "--json", "--watch", "--interval", "PT0.2S", "--count", "2",
                "--group", "lag-nobody", "--bootstrap-servers", KAFKA.bootstrapServers());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.outLines()).hasSize(2);
        for (String line : run.outLines()) {
            assertThat(flywheelLag(line)).containsEntry("lag-learner fw.rollouts 2", 3L);
            assertThat(line).contains("\"group\":\"lag-nobody\"");
        }
    }

    @Test
    void badWatchSettingsAreUsageErrorsNamingTheFlag() {
        CommandRun zero = CommandRun.of("lag", "--watch", "--interval", "PT0S", "--bootstrap-servers", KAFKA.bootstrapServers());
        assertThat(zero.exitCode()).isEqualTo(2);
        assertThat(zero.err()).contains("--interval");
        CommandRun countAlone = CommandRun.of("lag", "--count", "3", "--bootstrap-servers", KAFKA.bootstrapServers());
        assertThat(countAlone.exitCode()).isEqualTo(2);
        assertThat(countAlone.err()).contains("--count").contains("--watch");
    }
}
