package dev.flywheel.runtime.bridge;

import dev.flywheel.runtime.embedded.EmbeddedKafkaExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The bridge scenarios against the in-process KRaft broker. */
class EmbeddedBrokerBridgeTest extends BridgeScenarios {
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.singleNode()
            .withBrokerProperty("group.initial.rebalance.delay.ms", "0");

    @Override
    protected String bootstrapServers() {
        return KAFKA.bootstrapServers();
    }
}
