package dev.flywheel.runtime.bridge;

import static dev.flywheel.runtime.bridge.TestCluster.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flywheel.runtime.embedded.EmbeddedKafkaExtension;
import dev.flywheel.runtime.http.ServiceMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;

/** The bridge exposes the Kafka clients' own metrics in the registry it is given, for as long as the client lives. */
class KafkaClientMetricsTest {
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.singleNode()
            .withBrokerProperty("group.initial.rebalance.delay.ms", "0");

    private TestCluster cluster;
    private PrometheusMeterRegistry registry;

    @BeforeEach
    void connect() {
        cluster = new TestCluster(KAFKA.bootstrapServers());
        registry = ServiceMetrics.prometheus("bridge-test");
    }

    @AfterEach
    void disconnect() {
        cluster.close();
        registry.close();
    }

    @Test
    void receiverExposesItsConsumersRecordsConsumedUntilItIsCancelled() {
        String topic = unique("client-metrics");
        cluster.createTopic(topic, 2);
        cluster.produceStrings(IntStream.range(0, 20)
                .mapToObj(i -> new ProducerRecord<>(topic, "k" + i, "v" + i)).toList());
        KafkaReceiver<String, String> receiver = KafkaReceiver.create(ReceiverOptions.builder(
                cluster.consumerProperties(unique("group")), new StringDeserializer(), new StringDeserializer())
                .subscribe(topic).name("metered").build(), registry);
        List<String> values = new CopyOnWriteArrayList<>();
        Disposable running = receiver.receive().subscribe(record -> {
            values.add(record.value());
            record.acknowledge();
        });
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> values.size() == 20);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(sample(registry.scrape(), "kafka_consumer_fetch_manager_records_consumed_total"))
                            .isEqualTo(20.0));
            assertThat(registry.scrape()).contains("client_id=").contains("component=\"bridge-test\"");
        } finally {
            running.dispose();
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(registry.scrape()).doesNotContain("kafka_consumer_"));
    }

    @Test
    void senderExposesItsProducersRecordsSentUntilItIsClosed() {
        String topic = unique("producer-metrics");
        cluster.createTopic(topic, 1);
        try (KafkaSender<String, String> sender = KafkaSender.create(SenderOptions.builder(cluster.producerProperties(),
                new StringSerializer(), new StringSerializer()).name("metered").build(), registry)) {
            for (int i = 0; i < 7; i++) {
                sender.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).block(Duration.ofSeconds(60));
            }
            assertThat(sample(registry.scrape(), "kafka_producer_record_send_total")).isEqualTo(7.0);
        }
        assertThat(registry.scrape()).doesNotContain("kafka_producer_");
    }

    /** The sum over every series of {@code name} in a Prometheus scrape. */
    private static double sample(String scrape, String name) {
        Matcher matcher = Pattern.compile("(?m)^" + name + "\\{[^}]*} (\\S+)$").matcher(scrape);
        double sum = 0;
        boolean found = false;
        while (matcher.find()) {
            sum += Double.parseDouble(matcher.group(1));
            found = true;
        }
        assertThat(found).as("%s in the scrape", name).isTrue();
        return sum;
    }
}
