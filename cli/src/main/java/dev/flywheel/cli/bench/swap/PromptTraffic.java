package dev.flywheel.cli.bench.swap;

import dev.flywheel.core.bootstrap.BootstrapOptions;
import dev.flywheel.feedback.simulate.PromptFeed;
import dev.flywheel.feedback.simulate.SimulationSettings;
import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.schemas.Prompt;
import dev.flywheel.schemas.serde.AvroSerdes;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Default-task prompts sent to the prompt topic at a steady rate on a thread of its own, until closed. */
public final class PromptTraffic implements AutoCloseable {
    private final ScheduledExecutorService timer;
    private final KafkaProducer<String, Prompt> producer;

    private PromptTraffic(KafkaSettings kafka, String topic, double perSecond, long seed) {
        this.producer = new KafkaProducer<>(kafka.clientProperties(Map.of(ProducerConfig.LINGER_MS_CONFIG, 0)),
                new StringSerializer(), AvroSerdes.prompt().serializer());
        PromptFeed feed = new PromptFeed(SimulationSettings.defaults("bench-swap", seed, BootstrapOptions.SHIPPED_SEED));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-prompt-traffic");
            t.setDaemon(true);
            return t;
        });
        long periodMicros = Math.max(1, Math.round(1e6 / perSecond));
        timer.scheduleAtFixedRate(() -> {
            Prompt prompt = feed.next(Instant.now());
            producer.send(new ProducerRecord<>(topic, prompt.getId(), prompt));
        }, 0, periodMicros, TimeUnit.MICROSECONDS);
    }

    /** Starts sending {@code perSecond} prompts a second to {@code topic}. */
    public static PromptTraffic start(KafkaSettings kafka, String topic, double perSecond, long seed) {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("--prompt-rate must be a positive number of prompts per second, got "
                    + perSecond);
        }
        return new PromptTraffic(kafka, topic, perSecond, seed);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close();
    }
}
