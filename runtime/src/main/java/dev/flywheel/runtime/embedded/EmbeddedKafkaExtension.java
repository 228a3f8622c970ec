package dev.flywheel.runtime.embedded;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that runs one {@link EmbeddedKafka} cluster per test class.
 *
 * <pre>{@code @RegisterExtension static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.singleNode();}</pre>
 */
public final class EmbeddedKafkaExtension implements BeforeAllCallback, AfterAllCallback {

    private final EmbeddedKafka.Builder builder;
    private EmbeddedKafka broker;

    private EmbeddedKafkaExtension(EmbeddedKafka.Builder builder) {
        this.builder = builder;
    }

    /** One combined broker+controller node. */
    public static EmbeddedKafkaExtension singleNode() {
        return new EmbeddedKafkaExtension(EmbeddedKafka.builder());
    }

    /** A cluster of {@code count} nodes; internal topics get replication factor min(3, count). */
    public static EmbeddedKafkaExtension withNodes(int count) {
        return new EmbeddedKafkaExtension(EmbeddedKafka.builder().nodes(count));
    }

    /** A broker config override applied to every node. */
    public EmbeddedKafkaExtension withBrokerProperty(String key, String value) {
        builder.brokerProperty(key, value);
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = builder.build().start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    public EmbeddedKafka broker() {
        if (broker == null) {
            throw new IllegalStateException("the embedded broker runs only between @BeforeAll and @AfterAll");
        }
        return broker;
    }

    public String bootstrapServers() {
        return broker().bootstrapServers();
    }

    /** Creates a topic (replication factor min(3, nodes)); an existing one is left as it is. */
    public void createTopic(String name, int partitions) {
        broker().createTopic(name, partitions);
    }
}
