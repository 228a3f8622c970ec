package dev.flywheel.cli.records;

import dev.flywheel.cli.kafka.KafkaOptions;
import dev.flywheel.cli.progress.ProgressLine;
import dev.flywheel.schemas.MessageType;
import dev.flywheel.schemas.json.JsonRecordException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flywheel produce}: JSON lines in, Avro single-object-encoded records out. */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = {
            "Reads JSON lines (plain JSON or Avro's JSON encoding of the topic's schema) and produces them as Avro.",
            "A bad line is reported with its line number and field and is not sent; the other lines are.",
            "Exits with 1 when any line was rejected."
        })
public final class ProduceCommand implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Mixin KafkaOptions kafka;

    @Parameters(index = "0", paramLabel = "TOPIC", description = "Topic to produce to, e.g. fw.prompts.")
    String topic;

    @Option(names = "--file", required = true, paramLabel = "F.jsonl",
            description = "JSON lines to produce, one record per line; '-' reads standard input.")
    String file;

    @Option(names = "--message", paramLabel = "NAME",
            description = "Message of the values (Prompt, Rollout, …); default: the one the Flywheel topic carries.")
    String message;

    @Option(names = "--key-field", paramLabel = "FIELD",
            description = "Value field used as the record key; default: the topic's key (e.g. id for prompts).")
    String keyField;

    @Override
    public Integer call() throws Exception {
        TopicMessage target = TopicMessage.resolve(topic, message, keyField);
        var err = spec.commandLine().getErr();
        Map<String, Object> defaults = Map.of(ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        ProgressLine progress = ProgressLine.onTerminal(err, "producing " + topic, 0, "records");
        int lineNumber = 0;
        int rejected = 0;
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (BufferedReader in = open();
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.settings().clientProperties(defaults),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    sent.add(producer.send(encode(target, line)));
                } catch (JsonRecordException e) {
                    rejected++;
                    err.println(file + ":" + lineNumber + ": " + e.getMessage() + " (line not sent)");
                }
                progress.update(sent.size(), rejected > 0 ? rejected + " rejected" : "");
            }
            producer.flush();
            for (Future<RecordMetadata> future : sent) {
                future.get();
            }
        }
        progress.finish("produced " + sent.size() + " record(s) to " + topic
                + (rejected > 0 ? "; rejected " + rejected + " line(s), see above" : ""));
        return rejected > 0 ? 1 : 0;
    }

    private ProducerRecord<byte[], byte[]> encode(TopicMessage target, String line) {
        return encodeAs(target.message(), target, line);
    }

    private <T extends SpecificRecord> ProducerRecord<byte[], byte[]> encodeAs(MessageType<T> type, TopicMessage target,
                                                                               String line) {
        T record = type.json().fromJson(line);
        byte[] value = type.serde().serializer().serialize(topic, record);
        byte[] key = target.keyField()
                .map(field -> record.get(type.schema().getField(field).pos()))
                .map(k -> k.toString().getBytes(StandardCharsets.UTF_8))
                .orElse(null);
        return new ProducerRecord<>(topic, key, value);
    }

    private BufferedReader open() throws IOException {
        if ("-".equals(file)) {
            return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        }
        try {
            return Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("--file " + file + " does not exist: give the path of a JSON-lines file");
        }
    }
}
