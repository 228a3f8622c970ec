package dev.flywheel.learner.session;

import dev.flywheel.learner.experience.InvalidRecordException;
import dev.flywheel.learner.feed.ExampleFeed;
import dev.flywheel.learner.feed.ExampleSink;
import dev.flywheel.learner.intake.DeadLetterWriter;
import dev.flywheel.learner.ledger.OffsetLedger;
import dev.flywheel.learner.ledger.RecordPosition;
import dev.flywheel.learner.metrics.LearnerMetrics;
import dev.flywheel.learner.train.BatchReport;
import dev.flywheel.learner.train.Trainer;
import dev.flywheel.schemas.serde.UndecodableRecordException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The learner's loop body on its one thread: each consumed record goes through its topic's feed; ready examples
 * queue up; every full batch is trained, its records marked absorbed in the ledger, and the publication cycle is
 * told. Records no learner can use go to the dead-letter topic and count as absorbed.
 */
final class TrainingSession<T> {

    private final Trainer<T> trainer;
    private final Map<String, ExampleFeed<T>> feeds;
    private final int batchSize;
    private final UnaryOperator<List<T>> hook;
    private final OffsetLedger ledger;
    private final LearnerMetrics metrics;
    private final DeadLetterWriter deadLetters;
    private final PublicationCycle cycle;
    private final Deque<PendingExample<T>> queue = new ArrayDeque<>();
    private long trained;
    private final ExampleSink<T> sink = new ExampleSink<>() {
        @Override
        public void ready(T example, List<RecordPosition> positions) {
            queue.add(new PendingExample<>(example, positions));
        }

        @Override
        public void dropped(List<RecordPosition> positions, String outcome) {
            positions.forEach(p -> absorb(p, outcome));
        }
    };

    TrainingSession(Trainer<T> trainer, Map<String, ExampleFeed<T>> feeds, int batchSize, UnaryOperator<List<T>> hook,
                    OffsetLedger ledger, LearnerMetrics metrics, DeadLetterWriter deadLetters,
                    PublicationCycle cycle) {
        this.trainer = trainer;
        this.feeds = feeds;
        this.batchSize = batchSize;
        this.hook = hook;
        this.ledger = ledger;
        this.metrics = metrics;
        this.deadLetters = deadLetters;
        this.cycle = cycle;
    }

    /** Handles one consumed record; a record absorbed before a restart is skipped. */
    void handle(ConsumerRecord<byte[], byte[]> record) {
        RecordPosition position = new RecordPosition(record.topic(), record.partition(), record.offset());
        if (ledger.isDone(position)) {
            metrics.record("replayed_skip");
            return;
        }
        ExampleFeed<T> feed = feeds.get(record.topic());
        try {
            if (record.value() == null) {
                throw new InvalidRecordException("record has no value (a tombstone); the learner's topics hold "
                        + "only Avro records");
            }
            feed.accept(position, record.value(), sink);
        } catch (InvalidRecordException | UndecodableRecordException e) {
            deadLetters.write(record, e);
            absorb(position, "dead_letter");
        }
    }

    /** Absorbs an offset that holds no record for the learner (a transaction marker); skipped if done before. */
    void absorbGap(RecordPosition position) {
        if (!ledger.isDone(position)) {
            ledger.markDone(position);
        }
    }

    /** Trains full batches queued so far until {@code stepBudget} optimizer steps are taken; returns the steps. */
    long trainFullBatches(long stepBudget) {
        long steps = 0;
        while (queue.size() >= batchSize && steps < stepBudget) {
            List<PendingExample<T>> pending = new ArrayList<>(batchSize);
            for (int i = 0; i < batchSize; i++) {
                pending.add(queue.poll());
            }
            List<T> batch = hook.apply(pending.stream().map(PendingExample::example).toList());
            long started = System.nanoTime();
            BatchReport report = trainer.train(batch);
            metrics.batch(report, Duration.ofNanos(System.nanoTime() - started));
            pending.forEach(p -> p.positions().forEach(pos -> absorb(pos, "trained")));
            steps += report.steps();
            trained += batch.size();
            cycle.afterBatch(report);
        }
        return steps;
    }

    /** Examples trained in this run. */
    long trained() {
        return trained;
    }

    /** Examples queued but not yet trained. */
    int queued() {
        return queue.size();
    }

    private void absorb(RecordPosition position, String outcome) {
        ledger.markDone(position);
        metrics.record(outcome);
    }
}
