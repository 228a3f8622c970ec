package dev.flywheel.scorer.topology;

import dev.flywheel.schemas.Rollout;
import dev.flywheel.schemas.ScoredRollout;
import dev.flywheel.scorer.metrics.ScorerMetrics;
import dev.flywheel.scorer.scoring.ModelSource;
import dev.flywheel.scorer.scoring.ModelsInUse;
import dev.flywheel.scorer.scoring.RolloutScorer;
import dev.flywheel.scorer.validation.RolloutValidator;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Validates each rollout, buffers it in a changelogged store, and scores the buffer as one micro-batch when it holds
 * {@code batchSize} rollouts or its oldest entry has waited {@code maxDelay} (wall clock).
 *
 * <p>Exactly once: a buffered rollout's input offset is committed with its store write, and its scored record with
 * its store delete, each in one transaction; after a crash the buffer is restored from its changelog and scored
 * again, so every rollout is emitted once. The buffer is keyed by input offset, unique within the task's partition,
 * so replayed duplicates of a rollout id are still each scored.
 */
final class BatchingScorer implements Processor<String, Rollout, String, ScoredRollout> {

    private final String storeName;
    private final BatchSettings settings;
    private ProcessorContext<String, ScoredRollout> context;
    private KeyValueStore<Long, BufferedRollout> buffer;
    private int buffered;
    /** Wall-clock time the oldest buffered rollout arrived; −1 when unknown (restored from the changelog). */
    private long oldestArrivedMs = -1;

    BatchingScorer(String storeName, BatchSettings settings) {
        this.storeName = storeName;
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, ScoredRollout> processorContext) {
        this.context = processorContext;
        this.buffer = processorContext.getStateStore(storeName);
        try (KeyValueIterator<Long, BufferedRollout> all = buffer.all()) {
            while (all.hasNext()) {
                all.next();
                buffered++;
            }
        }
        long interval = Math.max(1, settings.maxDelay().toMillis() / 2);
        processorContext.schedule(Duration.ofMillis(interval), PunctuationType.WALL_CLOCK_TIME, this::flushIfDue);
    }

    @Override
    public void process(Record<String, Rollout> record) {
        // Throws InvalidRolloutException: the processing-exception handler dead-letters the original bytes.
        settings.validator().check(record.value(), settings.models().current());
        long offset = context.recordMetadata().orElseThrow(() -> new IllegalStateException(
                "rollouts must come straight from the source topic")).offset();
        buffer.put(offset, new BufferedRollout(record.key(), record.value()));
        if (buffered++ == 0) {
            oldestArrivedMs = context.currentSystemTimeMs();
        }
        if (buffered >= settings.batchSize()) {
            flush();
        }
    }

    private void flushIfDue(long nowMs) {
        if (buffered > 0 && (oldestArrivedMs < 0 || nowMs - oldestArrivedMs >= settings.maxDelay().toMillis())) {
            flush();
        }
    }

    private void flush() {
        List<KeyValue<Long, BufferedRollout>> batch = new ArrayList<>(buffered);
        try (KeyValueIterator<Long, BufferedRollout> all = buffer.all()) {
            all.forEachRemaining(batch::add);
        }
        if (batch.isEmpty()) {
            buffered = 0;
            return;
        }
        List<Rollout> rollouts = new ArrayList<>(batch.size());
        batch.forEach(entry -> rollouts.add(entry.value.rollout()));
        long began = System.nanoTime();
        ModelsInUse models = settings.models().forNextBatch();
        Instant now = settings.clock().instant();
        List<ScoredRollout> scored = settings.scorer().score(rollouts, models, now);
        settings.metrics().batchScored(scored.size(), Duration.ofNanos(System.nanoTime() - began));
        for (int i = 0; i < batch.size(); i++) {
            ScoredRollout result = scored.get(i);
            String key = batch.get(i).value.key() == null ? result.getPromptId() : batch.get(i).value.key();
            context.forward(new Record<>(key, result, now.toEpochMilli()));
            buffer.delete(batch.get(i).key);
        }
        buffered = 0;
        oldestArrivedMs = -1;
    }

    /**
     * What the processor needs besides its store.
     *
     * @param models    where each batch's models come from
     * @param scorer    the scoring of a batch
     * @param validator the checks before buffering
     * @param batchSize rollouts per batch
     * @param maxDelay  longest wait of a buffered rollout
     * @param metrics   the scorer's meters
     * @param clock     the scoring time stamped on each scored rollout (its record timestamp and stats window)
     */
    record BatchSettings(ModelSource models, RolloutScorer scorer, RolloutValidator validator, int batchSize,
                         Duration maxDelay, ScorerMetrics metrics, InstantSource clock) {
    }
}
