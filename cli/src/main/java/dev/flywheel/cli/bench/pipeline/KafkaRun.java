package dev.flywheel.cli.bench.pipeline;

import dev.flywheel.learner.Algorithm;
import dev.flywheel.learner.Learner;
import dev.flywheel.learner.LearnerConfig;
import dev.flywheel.learner.LearnerStatus;
import dev.flywheel.learner.metrics.LearnerMetrics;
import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.runtime.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Side (b) of the pipeline benchmark: the same encoded records on the scored-rollout topic of a broker, consumed and
 * trained by the learner service itself ({@link Learner}, GRPO, fixed β) until it stops at the step budget. The
 * learner publishes no version inside the run, so both sides do the same work: read, decode, assemble, train.
 */
public final class KafkaRun {

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final KafkaSettings kafka;
    private final Topics topics;
    private final Path modelStore;

    private KafkaRun(KafkaSettings kafka, Topics topics, Path modelStore) {
        this.kafka = kafka;
        this.topics = topics;
        this.modelStore = modelStore;
    }

    /** A run against {@code kafka}, whose learner reads policy-v0 from {@code modelStore}. */
    public static KafkaRun on(KafkaSettings kafka, Topics topics, Path modelStore) {
        return new KafkaRun(kafka, topics, modelStore);
    }

    /** Creates the topics and produces every record of {@code stream} (keyed by prompt id), waiting for all acks. */
    public void produce(ScoredStream stream) {
        try (Admin admin = Admin.create(kafka.adminProperties())) {
            topics.createAll(admin);
        }
        Map<String, Object> settings = Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.clientProperties(settings),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < stream.size(); i++) {
                producer.send(new ProducerRecord<>(topics.scoredRollouts().name(), stream.keys().get(i),
                        stream.values().get(i)));
            }
            producer.flush();
        }
    }

    /**
     * Starts a learner, times it from the moment its thread starts consuming to the moment its status shows the
     * last step, and waits for it to stop; {@code progress} hears the steps so far. Each run is a fresh learner
     * named {@code name} (group and checkpoint): with no checkpoint it reads the topics from their beginning.
     */
    public Throughput run(PipelineSettings settings, String name, LongConsumer progress) throws InterruptedException {
        LearnerConfig config = LearnerConfig.builder(Algorithm.GRPO, modelStore)
                .topics(topics)
                .consumerGroup(name)
                .checkpointName(name)
                .batchSize(settings.batchSize())
                .targetKl(0)
                .initialBeta(PipelineSettings.BETA)
                .publishEvery((int) Math.min(Integer.MAX_VALUE, settings.steps() + settings.stepsPerBatch()))
                .maxSteps(settings.steps())
                .evaluateTaskSeed(OptionalLong.empty())
                .build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Learner learner = Learner.start(kafka, config, registry)) {
            long started = System.nanoTime();
            long startSteps = learner.status().steps();
            LearnerStatus s = learner.status();
            long reported = -1;
            // Polling a volatile snapshot costs nothing measurable; it marks the end of the last step within ~1 ms.
            while (s.running() && s.steps() - startSteps < settings.steps()) {
                LockSupport.parkNanos(POLL_NANOS);
                s = learner.status();
                if (s.steps() != reported) {
                    reported = s.steps();
                    progress.accept(reported - startSteps);
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            if (s.failure() != null || s.steps() - startSteps < settings.steps()) {
                throw new IllegalStateException("the learner stopped after " + (s.steps() - startSteps) + " of "
                        + settings.steps() + " steps" + (s.failure() == null ? "" : ": " + s.failure()));
            }
            learner.awaitStopped(Duration.ofSeconds(60));
            // The learner times each batch's trainer step, as side (a) does; the timer holds this run's batches only.
            double trainSeconds = registry.get(LearnerMetrics.BATCH_DURATION).timer().totalTime(TimeUnit.SECONDS);
            return new Throughput(s.steps() - startSteps, s.examples(), seconds, trainSeconds);
        }
    }
}
