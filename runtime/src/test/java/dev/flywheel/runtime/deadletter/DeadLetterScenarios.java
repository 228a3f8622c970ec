package dev.flywheel.runtime.deadletter;

import static dev.flywheel.runtime.bridge.TestCluster.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flywheel.runtime.bridge.ConsumedOffsets;
import dev.flywheel.runtime.bridge.KafkaReceiver;
import dev.flywheel.runtime.bridge.KafkaSender;
import dev.flywheel.runtime.bridge.ReceivedRecord;
import dev.flywheel.runtime.bridge.ReceiverOptions;
import dev.flywheel.runtime.bridge.SenderOptions;
import dev.flywheel.runtime.bridge.TestCluster;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;


/** Dead-lettering against a real Kafka cluster; subclasses say which one. */
abstract class DeadLetterScenarios {
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    private TestCluster cluster;
    private MeterRegistry registry;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<Disposable> subscriptions = new ArrayList<>();

    protected abstract String bootstrapServers();

    @BeforeEach
    void connect() {
        cluster = new TestCluster(bootstrapServers());
        registry = new SimpleMeterRegistry();
    }

    @AfterEach
    void disconnect() throws Exception {
        subscriptions.forEach(Disposable::dispose);
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
        cluster.close();
    }

    @Test
    void garbageAmongValidRecordsIsDeadLetteredWithItsOriginAndTheServiceKeepsRunning() {
        String input = unique("dl-in");
        String deadLetterTopic = unique("dead-letters");
        cluster.createTopic(input, 3);
        cluster.createTopic(deadLetterTopic, 1);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            byte[] value = i % 5 == 2 ? garbage(i) : ("n=" + i).getBytes(StandardCharsets.UTF_8);
            RecordHeaders headers = new RecordHeaders();
            headers.add("trace-id", ("t-" + i).getBytes(StandardCharsets.UTF_8));
            records.add(new ProducerRecord<>(input, i % 3, ("k-" + i).getBytes(StandardCharsets.UTF_8), value, headers));
        }
        List<RecordMetadata> written = cluster.produceBytes(records);

        DeadLetters deadLetters = DeadLetters.to(deadLetterTopic, registry).via(plainSender());
        String group = unique("g");
        KafkaReceiver<byte[], byte[]> receiver = KafkaReceiver.create(
                ReceiverOptions.ofBytes(cluster.consumerProperties(group)).subscribe(input)
                        .commitInterval(Duration.ofMillis(100)).build(), registry);
        Set<Integer> processed = ConcurrentHashMap.newKeySet();
        subscriptions.add(receiver.receive()
                .concatMap(record -> decode(record.value())
                        .doOnNext(processed::add)
                        .then(Mono.just(record))
                        // The original is acknowledged only once its dead letter is safely written.
                        .onErrorResume(e -> deadLetters.route(record.consumerRecord(), e).thenReturn(record)))
                .subscribe(ReceivedRecord::acknowledge));

        await().atMost(PATIENCE).until(() -> cluster.committedOffsets(group).equals(cluster.endOffsets(input, 3)));
        Set<Integer> valid = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            if (i % 5 != 2) {
                valid.add(i);
            }
        }
        assertThat(processed).as("every valid record processed despite the garbage").isEqualTo(valid);

        List<ConsumerRecord<byte[], byte[]>> dead = cluster.readCommittedBytes(deadLetterTopic, 1);
        assertThat(dead).hasSize(6);
        for (ConsumerRecord<byte[], byte[]> letter : dead) {
            String key = new String(letter.key(), StandardCharsets.UTF_8);
            int i = Integer.parseInt(key.substring(2));
            assertThat(i % 5).as("only garbage is dead-lettered").isEqualTo(2);
            assertThat(letter.value()).as("original bytes kept").isEqualTo(garbage(i));
            assertThat(DeadLetterHeaders.text(letter.headers(), "trace-id")).isEqualTo("t-" + i);
            assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(input);
            assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.SOURCE_PARTITION))
                    .isEqualTo(Integer.toString(written.get(i).partition()));
            assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.SOURCE_OFFSET))
                    .isEqualTo(Long.toString(written.get(i).offset()));
            assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.ERROR_CLASS))
                    .isIn(CharacterCodingException.class.getName(), MalformedInputException.class.getName(),
                            NumberFormatException.class.getName(), IllegalArgumentException.class.getName());
            assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.ERROR_MESSAGE)).isNotBlank();
        }
        assertThat(registry.get(DeadLetters.COUNTER).tag("source_topic", input).counter().count()).isEqualTo(6.0);
    }

    @Test
    void deadLetterInsideTheCallersTransactionCommitsTogetherWithTheOffsets() {
        String input = unique("dltx-in");
        String output = unique("dltx-out");
        String deadLetterTopic = unique("dead-letters");
        for (String topic : List.of(input, output, deadLetterTopic)) {
            cluster.createTopic(topic, 1);
        }
        cluster.produceBytes(List.of(
                new ProducerRecord<>(input, 0, null, "n=1".getBytes(StandardCharsets.UTF_8)),
                new ProducerRecord<>(input, 0, null, garbage(2)),
                new ProducerRecord<>(input, 0, null, "n=3".getBytes(StandardCharsets.UTF_8))));

        String group = unique("g");
        Properties props = cluster.consumerProperties(group);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaReceiver<byte[], byte[]> receiver = KafkaReceiver.create(
                ReceiverOptions.ofBytes(props).subscribe(input).transactional().build(), registry);
        KafkaSender<byte[], byte[]> sender = KafkaSender.create(
                SenderOptions.ofBytes(cluster.producerProperties()).transactionalId(unique("tx")).build(), registry);
        closeables.add(sender);
        DeadLetters deadLetters = DeadLetters.to(deadLetterTopic, registry);

        // Read-process-write: each batch's outputs, dead letters and offsets go in one transaction; the first
        // batch is all this test needs, so it stops the receiver after that batch has committed.
        List<ReceivedRecord<byte[], byte[]>> batch = receiver.receive().buffer(3)
                .concatMap(records -> receiver.groupMetadata()
                        .flatMap(metadata -> commitBatch(records, metadata, sender, deadLetters, output))
                        .thenReturn(records))
                .next()
                .block(PATIENCE);

        assertThat(batch).hasSize(3);
        assertThat(cluster.readCommittedBytes(output, 1)).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly("processed 1", "processed 3");
        List<ConsumerRecord<byte[], byte[]>> dead = cluster.readCommittedBytes(deadLetterTopic, 1);
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).value()).isEqualTo(garbage(2));
        assertThat(DeadLetterHeaders.text(dead.get(0).headers(), DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("1");
        assertThat(cluster.committedOffsets(group)).isEqualTo(Map.of(new TopicPartition(input, 0), 3L));
        assertThat(registry.get(DeadLetters.COUNTER).tag("source_topic", input).counter().count()).isEqualTo(1.0);
    }

    private static Mono<Void> commitBatch(List<ReceivedRecord<byte[], byte[]>> records, ConsumerGroupMetadata group,
                                          KafkaSender<byte[], byte[]> sender, DeadLetters deadLetters, String output) {
        List<ProducerRecord<byte[], byte[]>> outputs = new ArrayList<>();
        List<ProducerRecord<byte[], byte[]>> letters = new ArrayList<>();
        for (ReceivedRecord<byte[], byte[]> record : records) {
            decode(record.value())
                    .doOnNext(n -> outputs.add(new ProducerRecord<>(output, ("processed " + n).getBytes(StandardCharsets.UTF_8))))
                    .onErrorResume(e -> {
                        letters.add(deadLetters.deadLetterFor(record.consumerRecord(), e));
                        return Mono.empty();
                    })
                    .block();
        }
        List<ProducerRecord<byte[], byte[]>> all = new ArrayList<>(outputs);
        all.addAll(letters);
        return sender.sendTransactionally(all, ConsumedOffsets.after(records), group)
                .then(Mono.fromRunnable(() -> letters.forEach(deadLetters::countWritten)));
    }

    /** The service's decoder: strict UTF-8 {@code n=<int>}. */
    static Mono<Integer> decode(byte[] value) {
        return Mono.fromCallable(() -> {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(value)).toString();
            if (!text.startsWith("n=")) {
                throw new IllegalArgumentException("value '" + text + "' is not of the form n=<int>");
            }
            return Integer.parseInt(text.substring(2));
        });
    }

    /** Three kinds of undecodable value, by index: invalid UTF-8, a non-number, the wrong shape. */
    static byte[] garbage(int i) {
        return switch (i % 3) {
            case 0 -> new byte[] {(byte) 0xC3, (byte) 0x28, (byte) i};
            case 1 -> ("n=not-a-number-" + i).getBytes(StandardCharsets.UTF_8);
            default -> ("garbage " + i).getBytes(StandardCharsets.UTF_8);
        };
    }

    private KafkaSender<byte[], byte[]> plainSender() {
        KafkaSender<byte[], byte[]> sender = KafkaSender.create(
                SenderOptions.ofBytes(cluster.producerProperties()).name("dead-letters").build(), registry);
        closeables.add(sender);
        return sender;
    }
}
