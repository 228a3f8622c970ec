package dev.flywheel.runtime.deadletter;

import dev.flywheel.runtime.embedded.EmbeddedKafkaExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Dead-letter scenarios against the in-process KRaft broker. */
class EmbeddedBrokerDeadLetterTest extends DeadLetterScenarios {
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.singleNode()
            .withBrokerProperty("group.initial.rebalance.delay.ms", "0");

    @Override
    protected String bootstrapServers() {
        return KAFKA.bootstrapServers();
    }
}
