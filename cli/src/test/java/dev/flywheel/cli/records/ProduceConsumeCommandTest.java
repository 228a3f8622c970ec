package dev.flywheel.cli.records;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.cli.CommandRun;
import dev.flywheel.runtime.embedded.EmbeddedKafkaExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ProduceConsumeCommandTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.singleNode();

    @BeforeAll
    static void createTopics() {
        CommandRun run = CommandRun.of("topics", "create", "--bootstrap-servers", KAFKA.bootstrapServers());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.outLines()).hasSize(8).allSatisfy(line -> assertThat(line).endsWith("created"));
    }

    @Test
    void consumePrintsBackWhatProduceSent(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("prompts.jsonl");
        Files.writeString(file, """
                {"id": "p-1", "ts": 1700000000000, "text": "Q: code of kovar?", "tenant": "demo"}
                {"id": "p-2", "ts": "2026-11-27T21:00:00Z", "text": "Q: code of belim?"}
                {"id": "p-3", "ts": 1700000000002, "text": "Q: 3+4?", "metadata": {"task.kind": "arithmetic"}}
                """);
        CommandRun produced = CommandRun.of("produce", "fw.prompts", "--file", file.toString(),
                "--bootstrap-servers", KAFKA.bootstrapServers());
        assertThat(produced.exitCode()).as(produced.toString()).isZero();
        assertThat(produced.err()).contains("produced 3 record(s) to fw.prompts");

        CommandRun consumed = CommandRun.of("consume", "fw.prompts", "--from-beginning", "--max", "3",
                "--bootstrap-servers", KAFKA.bootstrapServers());
        assertThat(consumed.exitCode()).as(consumed.toString()).isZero();
        assertThat(consumed.outLines()).containsExactlyInAnyOrder(
                "{\"id\":\"p-1\",\"ts\":1700000000000,\"tenant\":\"demo\",\"text\":\"Q: code of kovar?\",\"metadata\":{}}",
                "{\"id\":\"p-2\",\"ts\":1795813200000,\"tenant\":\"default\",\"text\":\"Q: code of belim?\",\"metadata\":{}}",
                "{\"id\":\"p-3\",\"ts\":1700000000002,\"tenant\":\"default\",\"text\":\"Q: 3+4?\","
                        + "\"metadata\":{\"task.kind\":\"arithmetic\"}}");
    }

    @Test
    void badLinesAreReportedWithLineAndFieldAndNotSent(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("feedback.jsonl");
        Files.writeString(file, """
                {"id": "f-1", "ts": 1, "responseId": "r-1", "kind": "THUMBS", "value": 1.0, "raterId": "u-1"}
                {"id": "f-2", "ts": 2, "responseId": "r-2", "kind": "SHRUG", "value": 1.0, "raterId": "u-1"}

                {"id": "f-3", "ts": 3, "responseId": "r-3", "kind": "RATING", "value": 4.0, "raterId": "u-2"}
                {"id": "f-4", "ts": 4, "kind": "RATING", "value": 4.0, "raterId": "u-2"}
                """);
        CommandRun produced = CommandRun.of("produce", "fw.feedback", "--file", file.toString(),
                "--bootstrap-servers", KAFKA.bootstrapServers());
        assertThat(produced.exitCode()).as(produced.toString()).isEqualTo(1);
        assertThat(produced.err())
                .contains(file + ":2: field 'kind'")
                .contains(file + ":5: field 'responseId'")
                .contains("produced 2 record(s) to fw.feedback; rejected 2 line(s)");

        CommandRun consumed = CommandRun.of("consume", "fw.feedback", "--from-beginning", "--timeout-ms", "3000",
                "--bootstrap-servers", KAFKA.bootstrapServers());
        assertThat(consumed.outLines()).hasSize(2)
                .anySatisfy(line -> assertThat(line).contains("\"id\":\"f-1\""))
                .anySatisfy(line -> assertThat(line).contains("\"id\":\"f-3\""));
    }

    @Test
    void consumeReportsGarbageWithPartitionAndOffsetAndGoesOn() throws Exception {
        KAFKA.createTopic("garbage.prompts", 1);
        try (KafkaProducer<byte[], byte[]> other = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            other.send(new ProducerRecord<>("garbage.prompts", "not avro at all".getBytes())).get();
            other.send(new ProducerRecord<>("garbage.prompts", new byte[] {(byte) 0xC3, 0x01, 9, 9, 9, 9, 9, 9, 9, 9, 1})).get();
        }
        Path file = Files.createTempFile("after", ".jsonl");
        Files.writeString(file, "{\"id\": \"after-garbage\", \"ts\": 5, \"text\": \"still here\"}\n");
        assertThat(CommandRun.of("produce", "garbage.prompts", "--file", file.toString(),
                "--bootstrap-servers", KAFKA.bootstrapServers()).exitCode()).isZero();

        CommandRun consumed = CommandRun.of("consume", "garbage.prompts", "--from-beginning", "--max", "1",
                "--bootstrap-servers", KAFKA.bootstrapServers());
        assertThat(consumed.exitCode()).as(consumed.toString()).isZero();
        assertThat(consumed.outLines()).singleElement().asString().contains("\"id\":\"after-garbage\"");
        assertThat(consumed.err())
                .contains("topic 'garbage.prompts' partition 0 offset 0: not Avro single-object encoding")
                .contains("topic 'garbage.prompts' partition 0 offset 1: unknown schema fingerprint");
    }

    @Test
    void consumeInAGroupCommitsWhatItPrinted(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("metrics.jsonl");
        Files.writeString(file, """
                {"id": "m-1", "ts": 1, "series": "scorer.reward.mean", "value": 0.5, "kind": "GAUGE"}
                {"id": "m-2", "ts": 2, "series": "scorer.reward.mean", "value": 0.6, "kind": "GAUGE"}
                """);
        CommandRun produced = CommandRun.of("produce", "fw.metrics", "--file", file.toString(),
                "--bootstrap-servers", KAFKA.bootstrapServers());
        assertThat(produced.exitCode()).as(produced.toString()).isZero();

        String[] args = {"consume", "fw.metrics", "--from-beginning", "--group", "readers", "--timeout-ms", "3000",
                "--bootstrap-servers", KAFKA.bootstrapServers()};
        assertThat(CommandRun.of(args).outLines()).hasSize(2);
        assertThat(CommandRun.of(args).outLines()).as("the group resumes after what it printed").isEmpty();
    }

    @Test
    void unknownTopicNeedsAMessageAndSaysSo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("x.jsonl");
        Files.writeString(file, "{}\n");
        CommandRun run = CommandRun.of("produce", "orders", "--file", file.toString(),
                "--bootstrap-servers", KAFKA.bootstrapServers());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--message").contains("Prompt");
    }
}
