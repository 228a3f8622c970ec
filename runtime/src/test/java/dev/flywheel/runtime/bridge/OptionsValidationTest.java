package dev.flywheel.runtime.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class OptionsValidationTest {

    @Test
    void receiverNeedsAGroupId() {
        assertThatThrownBy(() -> ReceiverOptions.ofBytes(new Properties()).subscribe("t").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("group.id");
    }

    @Test
    void receiverRefusesAutoCommit() {
        Properties props = group("g");
        props.put("enable.auto.commit", "true");
        assertThatThrownBy(() -> ReceiverOptions.ofBytes(props).subscribe("t").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("enable.auto.commit");
    }

    @Test
    void receiverNeedsRoomForAFullPollBetweenTheWatermarks() {
        Properties props = group("g");
        props.put("max.poll.records", "500");
        assertThatThrownBy(() -> ReceiverOptions.ofBytes(props).subscribe("t").watermarks(1_000, 600).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("low (600)").hasMessageContaining("max.poll.records (500)")
                .hasMessageContaining("high (1000)");
    }

    @Test
    void receiverNeedsExactlyOneSubscription() {
        assertThatThrownBy(() -> ReceiverOptions.ofBytes(group("g")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subscribe");
    }

    @Test
    void receiverPassesPropertiesThroughAndDisablesAutoCommit() {
        Properties props = group("g");
        props.put("security.protocol", "SASL_SSL");
        ReceiverOptions<byte[], byte[]> options = ReceiverOptions.ofBytes(props).subscribe("t").build();
        assertThat(options.consumerProperties()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("enable.auto.commit", "false").containsEntry("group.id", "g");
        assertThat(options.name()).isEqualTo("g");
        assertThat(props).doesNotContainKey("enable.auto.commit");
    }

    @Test
    void senderRefusesToTurnIdempotenceOff() {
        Properties props = new Properties();
        props.put("enable.idempotence", "false");
        assertThatThrownBy(() -> SenderOptions.ofBytes(props).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("enable.idempotence");
    }

    @Test
    void senderTurnsIdempotenceOnAndIsTransactionalOnlyWithAnId() {
        SenderOptions<byte[], byte[]> plain = SenderOptions.ofBytes(new Properties()).build();
        SenderOptions<byte[], byte[]> transactional = SenderOptions.ofBytes(new Properties()).transactionalId("tx-1").build();
        assertThat(plain.producerProperties()).containsEntry("enable.idempotence", "true");
        assertThat(plain.transactionalId()).isNull();
        assertThat(transactional.transactionalId()).isEqualTo("tx-1");
        assertThat(transactional.name()).isEqualTo("tx-1");
    }

    private static Properties group(String id) {
        Properties props = new Properties();
        props.put("group.id", id);
        return props;
    }
}
