package dev.flywheel.feedback.simulate;

import dev.flywheel.core.task.TaskFormat;
import dev.flywheel.runtime.topics.Topics;
import dev.flywheel.schemas.FinishReason;
import dev.flywheel.schemas.Prompt;
import dev.flywheel.schemas.Rollout;
import dev.flywheel.schemas.SamplingParams;
import dev.flywheel.schemas.serde.AvroSerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A stand-in for the generator in tests: answers every prompt with two samples, each right, a refusal or wrong with
 * fixed probabilities drawn from the sample's id, so the mix of verdicts is known.
 */
final class FakeAnswerer implements Runnable, AutoCloseable {
    static final int SAMPLES = 2;
    private final String bootstrap;
    private final Topics topics;
    private volatile boolean stopped;
    private final AtomicLong answered = new AtomicLong();
    private final Thread thread = new Thread(this, "fake-answerer");

    FakeAnswerer(String bootstrap, Topics topics) {
        this.bootstrap = bootstrap;
        this.topics = topics;
    }

    FakeAnswerer start() {
        thread.start();
        return this;
    }

    @Override
    public void run() {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topics.prompts().name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!stopped) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    Prompt prompt = AvroSerdes.prompt().deserializer().deserialize(record.topic(), record.value());
                    answered.incrementAndGet();
                    for (int i = 0; i < SAMPLES; i++) {
                        Rollout rollout = answer(prompt, i);
                        producer.send(new ProducerRecord<>(topics.rollouts().name(), prompt.getId(),
                                AvroSerdes.rollout().serializer().serialize(topics.rollouts().name(), rollout)));
                    }
                }
            }
        }
    }

    /** Prompts answered so far. */
    long answered() {
        return answered.get();
    }

    static Rollout answer(Prompt prompt, int index) {
        String id = prompt.getId() + "-s" + index;
        double u = new SplittableRandom(id.hashCode()).nextDouble();
        String answer = prompt.getMetadata().get("task.answer");
        String response = u < 0.5 ? TaskFormat.response(answer)
                : u < 0.7 ? TaskFormat.refusalResponse() : TaskFormat.response(answer + "1");
        return Rollout.newBuilder().setId(id).setTs(Instant.now()).setPromptId(prompt.getId()).setPrompt(prompt.getText())
                .setPromptTokenIds(List.of()).setResponse(response).setResponseTokenIds(List.of())
                .setBehaviourLogProbs(List.of()).setPolicyVersion(0L).setSampling(new SamplingParams(1f, 0, 1f, 8, (long) index))
                .setGroupId(prompt.getId() + "-g").setGroupIndex(index).setGroupSize(SAMPLES)
                .setFinishReason(FinishReason.EOS).setMetadata(prompt.getMetadata()).build();
    }

    @Override
    public void close() {
        stopped = true;
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
