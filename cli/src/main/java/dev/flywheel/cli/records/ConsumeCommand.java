package dev.flywheel.cli.records;

import dev.flywheel.cli.kafka.KafkaOptions;
import dev.flywheel.runtime.topics.TopicSpec;
import dev.flywheel.runtime.topics.Topics;
import dev.flywheel.schemas.MessageType;
import dev.flywheel.schemas.Messages;
import dev.flywheel.schemas.serde.UndecodableRecordException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flywheel consume}: Avro records out of a topic as one JSON object per line. */
@Command(name = "consume", mixinStandardHelpOptions = true,
        description = {
            "Prints the records of a topic as JSON lines (read_committed), decoding each by its schema fingerprint.",
            "An undecodable record prints an error naming its partition and offset on stderr; consumption goes on.",
            "Runs until --max records were printed, --timeout-ms passed without a record, or Ctrl-C."
        })
public final class ConsumeCommand implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Mixin KafkaOptions kafka;

    @Parameters(index = "0", paramLabel = "TOPIC", description = "Topic to read, e.g. fw.prompts.")
    String topic;

    @Option(names = "--from-beginning", description = "Start at the earliest offset instead of the end.")
    boolean fromBeginning;

    @Option(names = "--max", paramLabel = "N", description = "Stop after printing N records.")
    Long max;

    @Option(names = "--group", paramLabel = "G",
            description = "Consume in group G and commit its offsets; without it every partition is read, nothing is committed.")
    String group;

    @Option(names = "--timeout-ms", paramLabel = "MS",
            description = "Stop after MS milliseconds without a new record (default: wait for ever).")
    Long idleTimeoutMs;

    @Option(names = "--with-metadata",
            description = "Wrap each value with its topic, partition, offset, timestamp, key and message name.")
    boolean withMetadata;

    @Override
    public Integer call() throws InterruptedException {
        if (max != null && max < 1) {
            throw new IllegalArgumentException("--max must be at least 1, was " + max);
        }
        Optional<MessageType<?>> expected = Topics.recognise(topic).flatMap(TopicSpec::valueMessage).map(Messages::byName);
        RecordPrinter printer = new RecordPrinter(expected, withMetadata);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long printed = 0;
        long failed = 0;
        CountDownLatch closed = new CountDownLatch(1);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Thread hook = new Thread(() -> {
                consumer.wakeup();
                awaitQuietly(closed);
            }, "flywheel-consume-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                start(consumer);
                long lastRecord = System.nanoTime();
                while (max == null || printed < max) {
                    var records = consumer.poll(Duration.ofMillis(200));
                    if (records.isEmpty()) {
                        if (idleTimeoutMs != null && System.nanoTime() - lastRecord > idleTimeoutMs * 1_000_000) {
                            break;
                        }
                        continue;
                    }
                    lastRecord = System.nanoTime();
                    Map<TopicPartition, OffsetAndMetadata> handled = new HashMap<>();
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        if (max != null && printed >= max) {
                            break;
                        }
                        try {
                            out.println(printer.print(record));
                            printed++;
                        } catch (UndecodableRecordException e) {
                            failed++;
                            err.println("error: " + e.getMessage());
                        }
                        handled.put(new TopicPartition(record.topic(), record.partition()),
                                new OffsetAndMetadata(record.offset() + 1));
                    }
                    out.flush();
                    if (group != null) {
                        consumer.commitSync(handled);
                    }
                    err.flush();
                }
            } catch (WakeupException e) {
                // Ctrl-C: fall through to close, which commits nothing more than what was printed.
            } finally {
                removeHook(hook);
            }
        } finally {
            closed.countDown();
        }
        err.println("printed " + printed + " record(s)" + (failed > 0 ? ", " + failed + " undecodable (see errors above)" : ""));
        return 0;
    }

    private void start(KafkaConsumer<byte[], byte[]> consumer) {
        if (group != null) {
            consumer.subscribe(List.of(topic));
            return;
        }
        var partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (partitions == null || partitions.isEmpty()) {
            throw new IllegalArgumentException("topic '" + topic + "' does not exist on " + kafka.settings().bootstrapServers()
                    + ": create Flywheel's topics with 'flywheel topics create', or check the name");
        }
        List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(assigned);
        if (fromBeginning) {
            consumer.seekToBeginning(assigned);
        } else {
            consumer.seekToEnd(assigned);
        }
    }

    private java.util.Properties consumerProperties() {
        Map<String, Object> defaults = new HashMap<>();
        defaults.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        defaults.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        defaults.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
        defaults.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        java.util.Properties props = kafka.settings().clientProperties(defaults);
        if (group != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return props;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down because of Ctrl-C; the hook is running and that is fine.
        }
    }
}
