package dev.flywheel.runtime.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class DeadLetterRecordTest {
    private final DeadLetters deadLetters = DeadLetters.to("fw.dead-letters", new SimpleMeterRegistry());

    @Test
    void keepsKeyValueAndHeadersAndNamesOriginAndError() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace-id", bytes("t-1"));
        ConsumerRecord<byte[], byte[]> failed = new ConsumerRecord<>("fw.prompts", 2, 41L, 1_700_000_000_000L,
                TimestampType.CREATE_TIME, 3, 4, bytes("key"), new byte[] {1, 2, 3, 4}, headers, Optional.empty());

        ProducerRecord<byte[], byte[]> letter = deadLetters.deadLetterFor(failed,
                new IllegalStateException("bad schema", new NumberFormatException("For input string: x")));

        assertThat(letter.topic()).isEqualTo("fw.dead-letters");
        assertThat(letter.key()).isEqualTo(bytes("key"));
        assertThat(letter.value()).containsExactly(1, 2, 3, 4);
        assertThat(DeadLetterHeaders.text(letter.headers(), "trace-id")).isEqualTo("t-1");
        assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("fw.prompts");
        assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.SOURCE_PARTITION)).isEqualTo("2");
        assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("41");
        assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.SOURCE_TIMESTAMP)).isEqualTo("1700000000000");
        assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.ERROR_CLASS))
                .isEqualTo("java.lang.IllegalStateException");
        assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.ERROR_MESSAGE))
                .isEqualTo("bad schema (caused by java.lang.NumberFormatException: For input string: x)");
    }

    @Test
    void deadLetterOfADeadLetterNamesOnlyTheLatestOrigin() {
        ConsumerRecord<byte[], byte[]> first = new ConsumerRecord<>("fw.prompts", 0, 7L, bytes("k"), bytes("v"));
        ProducerRecord<byte[], byte[]> once = deadLetters.deadLetterFor(first, new IllegalArgumentException("one"));
        ConsumerRecord<byte[], byte[]> replayed = new ConsumerRecord<>("fw.dead-letters", 0, 3L, -1L,
                TimestampType.CREATE_TIME, 1, 1, once.key(), once.value(), once.headers(), Optional.empty());

        ProducerRecord<byte[], byte[]> twice = deadLetters.deadLetterFor(replayed, new IllegalArgumentException("two"));

        assertThat(twice.headers().headers(DeadLetterHeaders.SOURCE_TOPIC)).hasSize(1);
        assertThat(DeadLetterHeaders.text(twice.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("fw.dead-letters");
        assertThat(DeadLetterHeaders.text(twice.headers(), DeadLetterHeaders.ERROR_MESSAGE)).isEqualTo("two");
    }

    @Test
    void cutsHugeMessagesSoTheDeadLetterStaysSendable() {
        ConsumerRecord<byte[], byte[]> failed = new ConsumerRecord<>("t", 0, 0L, null, bytes("v"));
        ProducerRecord<byte[], byte[]> letter = deadLetters.deadLetterFor(failed, new RuntimeException("x".repeat(100_000)));
        assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.ERROR_MESSAGE))
                .hasSize(DeadLetterHeaders.MAX_MESSAGE_LENGTH);
        assertThat(letter.key()).isNull();
    }

    @Test
    void routingWithoutASenderSaysHowToFixIt() {
        ConsumerRecord<byte[], byte[]> failed = new ConsumerRecord<>("t", 0, 0L, null, bytes("v"));
        assertThatThrownBy(() -> deadLetters.route(failed, new RuntimeException("boom")).block())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("via(plainSender)");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
