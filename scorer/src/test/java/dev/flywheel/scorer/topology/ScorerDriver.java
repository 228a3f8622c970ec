package dev.flywheel.scorer.topology;

import dev.flywheel.runtime.topics.Topics;
import dev.flywheel.schemas.MetricPoint;
import dev.flywheel.schemas.Rollout;
import dev.flywheel.schemas.ScoredRollout;
import dev.flywheel.schemas.serde.AvroSerdes;
import dev.flywheel.scorer.ScorerConfig;
import dev.flywheel.scorer.metrics.ScorerMetrics;
import dev.flywheel.scorer.scoring.ModelSource;
import dev.flywheel.scorer.scoring.ModelsInUse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** The scorer topology in a {@link TopologyTestDriver}, with a settable scoring clock and typed topic handles. */
final class ScorerDriver implements AutoCloseable {
    static final Instant START = Instant.parse("2026-11-27T12:00:00Z");

    final ScorerConfig config;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final AtomicReference<Instant> clock = new AtomicReference<>(START);
    final TopologyTestDriver driver;
    final TestInputTopic<String, Rollout> rollouts;
    final TestInputTopic<byte[], byte[]> rawRollouts;
    final TestOutputTopic<String, ScoredRollout> scored;
    final TestOutputTopic<String, MetricPoint> metrics;
    final TestOutputTopic<byte[], byte[]> deadLetters;

    ScorerDriver(ScorerConfig config, ModelsInUse models) {
        this.config = config;
        ScorerMetrics scorerMetrics = new ScorerMetrics(registry);
        Properties props = ScorerTopology.streamsProperties(config, scorerMetrics);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(ScorerTopology.build(config, ModelSource.fixed(models), scorerMetrics,
                clock::get), props, START);
        Topics topics = config.topics();
        rollouts = driver.createInputTopic(topics.rollouts().name(), new StringSerializer(),
                AvroSerdes.rollout().serializer());
        rawRollouts = driver.createInputTopic(topics.rollouts().name(), new ByteArraySerializer(),
                new ByteArraySerializer());
        scored = driver.createOutputTopic(topics.scoredRollouts().name(), new StringDeserializer(),
                AvroSerdes.scoredRollout().deserializer());
        metrics = driver.createOutputTopic(topics.metrics().name(), new StringDeserializer(),
                AvroSerdes.metricPoint().deserializer());
        deadLetters = driver.createOutputTopic(topics.deadLetters().name(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    /** Pipes every rollout keyed by its prompt id. */
    void pipe(List<Rollout> values) {
        for (Rollout r : values) {
            rollouts.pipeInput(r.getPromptId(), r);
        }
    }

    /** Advances the wall clock past the batch delay so a partial batch is scored. */
    void flushPartialBatch() {
        driver.advanceWallClockTime(config.maxBatchDelay().multipliedBy(2).plusMillis(1));
    }

    /** Sets the scoring clock. */
    void scoringTime(Instant at) {
        clock.set(at);
    }

    List<ScoredRollout> scoredValues() {
        return scored.readValuesToList();
    }

    List<TestRecord<byte[], byte[]>> deadLetterRecords() {
        return deadLetters.readRecordsToList();
    }

    static Duration delay() {
        return Duration.ofMillis(100);
    }

    @Override
    public void close() {
        driver.close();
    }

}
