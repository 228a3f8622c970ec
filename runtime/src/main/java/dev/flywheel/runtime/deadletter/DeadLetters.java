package dev.flywheel.runtime.deadletter;

import dev.flywheel.runtime.bridge.KafkaSender;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Routes records that failed to decode or validate to a dead-letter topic, so bad input never stops a service
 * and nothing is dropped silently.
 *
 * <p>A dead letter keeps the original key and value bytes and headers, and adds the {@link DeadLetterHeaders}.
 * Written dead letters are counted in {@code flywheel.deadletters}, tagged {@code source_topic}. Three ways to use
 * it: {@link #route} returns a {@link Mono} that completes once the dead letter is written, so the caller can
 * acknowledge the original only then; {@link #routeAndForget} for plain consumers; and {@link #deadLetterFor}
 * plus {@link #countWritten} to put the dead letter inside the caller's own transaction.
 */
public final class DeadLetters {
    /** Counter of dead letters written, tagged {@code source_topic}. */
    public static final String COUNTER = "flywheel.deadletters";
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final String topic;
    private final MeterRegistry registry;
    private final KafkaSender<byte[], byte[]> sender;

    private DeadLetters(String topic, MeterRegistry registry, KafkaSender<byte[], byte[]> sender) {
        if (Objects.requireNonNull(topic, "topic").isBlank()) {
            throw new IllegalArgumentException("dead-letter topic name is blank: pass e.g. \"fw.dead-letters\"");
        }
        this.topic = topic;
        this.registry = Objects.requireNonNull(registry, "registry");
        this.sender = sender;
    }

    /** Dead letters for {@code topic}, counted in {@code registry}; add {@link #via} to send them yourself. */
    public static DeadLetters to(String topic, MeterRegistry registry) {
        return new DeadLetters(topic, registry, null);
    }

    /** The same dead letters, written through this plain (non-transactional) sender. */
    public DeadLetters via(KafkaSender<byte[], byte[]> plainSender) {
        return new DeadLetters(topic, registry, Objects.requireNonNull(plainSender, "plainSender"));
    }

    /** The dead-letter topic. */
    public String topic() {
        return topic;
    }

    /** The dead letter for {@code failed}, to send inside the caller's transaction; not counted until written. */
    public ProducerRecord<byte[], byte[]> deadLetterFor(ConsumerRecord<byte[], byte[]> failed, Throwable reason) {
        Objects.requireNonNull(failed, "failed");
        Objects.requireNonNull(reason, "reason");
        Headers headers = new RecordHeaders(failed.headers().toArray());
        put(headers, DeadLetterHeaders.SOURCE_TOPIC, failed.topic());
        put(headers, DeadLetterHeaders.SOURCE_PARTITION, Integer.toString(failed.partition()));
        put(headers, DeadLetterHeaders.SOURCE_OFFSET, Long.toString(failed.offset()));
        put(headers, DeadLetterHeaders.SOURCE_TIMESTAMP, Long.toString(failed.timestamp()));
        put(headers, DeadLetterHeaders.ERROR_CLASS, reason.getClass().getName());
        put(headers, DeadLetterHeaders.ERROR_MESSAGE, describe(reason));
        return new ProducerRecord<>(topic, null, failed.key(), failed.value(), headers);
    }

    /** Writes the dead letter for {@code failed}; completes (and counts it) once the broker has it. */
    public Mono<RecordMetadata> route(ConsumerRecord<byte[], byte[]> failed, Throwable reason) {
        if (sender == null) {
            return Mono.error(new IllegalStateException("DeadLetters for " + topic + " has no sender: use "
                    + "via(plainSender), or send deadLetterFor(...) in your own transaction"));
        }
        ProducerRecord<byte[], byte[]> deadLetter;
        try {
            deadLetter = deadLetterFor(failed, reason);
        } catch (RuntimeException e) {
            return Mono.error(e);
        }
        return sender.send(deadLetter).doOnNext(metadata -> countWritten(deadLetter));
    }

    /** Writes the dead letter in the background; a failure to write it is logged with the record's coordinates. */
    public void routeAndForget(ConsumerRecord<byte[], byte[]> failed, Throwable reason) {
        route(failed, reason).subscribe(metadata -> { }, error -> LOG.error(
                "dead letter for {}-{}@{} could not be written to {}: {}", failed.topic(), failed.partition(),
                failed.offset(), topic, error.toString()));
    }

    /** Counts a dead letter the caller wrote itself, e.g. after committing the transaction that held it. */
    public void countWritten(ProducerRecord<byte[], byte[]> deadLetter) {
        String source = DeadLetterHeaders.text(deadLetter.headers(), DeadLetterHeaders.SOURCE_TOPIC);
        if (source == null) {
            throw new IllegalArgumentException("record has no " + DeadLetterHeaders.SOURCE_TOPIC
                    + " header: count only records built by deadLetterFor(...)");
        }
        Counter.builder(COUNTER).description("records routed to the dead-letter topic")
                .tag("source_topic", source).register(registry).increment();
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String describe(Throwable reason) {
        StringBuilder text = new StringBuilder(String.valueOf(reason.getMessage()));
        for (Throwable cause = reason.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append(" (caused by ").append(cause.getClass().getName()).append(": ").append(cause.getMessage()).append(')');
            if (text.length() > DeadLetterHeaders.MAX_MESSAGE_LENGTH) {
                break;
            }
        }
        return text.length() > DeadLetterHeaders.MAX_MESSAGE_LENGTH
                ? text.substring(0, DeadLetterHeaders.MAX_MESSAGE_LENGTH) : text.toString();
    }
}
