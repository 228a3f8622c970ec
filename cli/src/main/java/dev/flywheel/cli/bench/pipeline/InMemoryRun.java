package dev.flywheel.cli.bench.pipeline;

import ai.djl.Device;
import dev.flywheel.core.bootstrap.Bootstrap;
import dev.flywheel.core.loss.KlController;
import dev.flywheel.core.model.ModelConfig;
import dev.flywheel.core.model.TransformerModel;
import dev.flywheel.core.store.ModelStore;
import dev.flywheel.learner.experience.Experience;
import dev.flywheel.learner.experience.ExperienceDecoder;
import dev.flywheel.learner.experience.GroupAssembler;
import dev.flywheel.learner.feed.ExampleSink;
import dev.flywheel.learner.feed.RolloutFeed;
import dev.flywheel.learner.ledger.RecordPosition;
import dev.flywheel.learner.ppo.PolicyGradientConfig;
import dev.flywheel.learner.ppo.PolicyGradientTrainer;
import dev.flywheel.learner.train.BatchReport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

/**
 * Side (a) of the pipeline benchmark, everything in one process: a producer thread hands each encoded record to the
 * learner's own {@link RolloutFeed} (Avro decode, validation into an {@link Experience}, GRPO group assembly) and
 * puts the ready experiences on a {@link BlockingQueue}; the calling thread takes full batches and trains a GRPO
 * {@link PolicyGradientTrainer} on policy-v0, as the learner service does, minus Kafka.
 */
public final class InMemoryRun {

    /** Records an incomplete group may wait, as the learner's default. */
    private static final long GROUP_WAIT_RECORDS = 1000;
    private static final long MAX_STALENESS = 4;
    private static final long TAKE_TIMEOUT_SECONDS = 120;

    private final ModelStore store;
    private final ScoredStream stream;
    private final int batchSize;
    private final ModelConfig shape;

    private InMemoryRun(ModelStore store, ScoredStream stream, int batchSize) {
        this.store = store;
        this.stream = stream;
        this.batchSize = batchSize;
        this.shape = store.loadRef(Bootstrap.POLICY_REF).config();
    }

    /** A run over {@code stream} with batches of {@code batchSize}, training policy-v0 from {@code store}. */
    public static InMemoryRun over(ModelStore store, ScoredStream stream, int batchSize) {
        return new InMemoryRun(store, stream, batchSize);
    }

    /** The trainer both sides use: GRPO on policy-v0 with a fixed β of 0.05, as {@code --target-kl 0} gives. */
    static PolicyGradientTrainer trainer(ModelStore store) {
        TransformerModel model = store.loadRef(Bootstrap.POLICY_REF).toModel(Device.cpu());
        return PolicyGradientTrainer.of(model, PolicyGradientConfig.grouped("grpo"), KlController::fixed,
                PipelineSettings.BETA);
    }

    /**
     * Trains one untimed batch on a throw-away trainer, so that neither side pays libtorch's and the JIT's first-use
     * costs (whichever side ran first would otherwise look slower).
     */
    public void warmUp() {
        try (PolicyGradientTrainer trainer = trainer(store)) {
            BlockingQueue<Experience> queue = new LinkedBlockingQueue<>();
            decodeAll(queue);
            List<Experience> batch = new ArrayList<>();
            queue.drainTo(batch, batchSize);
            trainer.train(batch);
        }
    }

    /** Trains until {@code steps} optimizer steps are taken; {@code progress} hears the steps so far. */
    public Throughput run(long steps, LongConsumer progress) throws InterruptedException {
        BlockingQueue<Experience> queue = new LinkedBlockingQueue<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (PolicyGradientTrainer trainer = trainer(store)) {
            Thread producer = new Thread(() -> {
                try {
                    decodeAll(queue);
                } catch (RuntimeException e) {
                    failure.set(e);
                }
            }, "bench-in-memory-producer");
            long started = System.nanoTime();
            producer.start();
            long done = 0;
            long examples = 0;
            long trainNanos = 0;
            while (done < steps) {
                List<Experience> batch = takeBatch(queue, failure);
                long batchStarted = System.nanoTime();
                BatchReport report = trainer.train(batch);
                trainNanos += System.nanoTime() - batchStarted;
                done += report.steps();
                examples += batch.size();
                progress.accept(done);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            producer.join();
            return new Throughput(done, examples, seconds, trainNanos / 1e9);
        }
    }

    private List<Experience> takeBatch(BlockingQueue<Experience> queue, AtomicReference<Throwable> failure)
            throws InterruptedException {
        List<Experience> batch = new ArrayList<>(batchSize);
        while (batch.size() < batchSize) {
            Experience e = queue.poll(TAKE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (e == null) {
                Throwable why = failure.get();
                throw new IllegalStateException(why != null ? "decoding the stream failed: " + why
                        : "the stream ran out before the requested steps: make it longer or ask for fewer --steps",
                        why);
            }
            batch.add(e);
        }
        return batch;
    }

    /** What the learner's feed does per record, with a queue for the sink. */
    private void decodeAll(BlockingQueue<Experience> queue) {
        RolloutFeed feed = new RolloutFeed(new ExperienceDecoder(shape.vocabSize(), shape.context()),
                new GroupAssembler(GROUP_WAIT_RECORDS), () -> 0L, MAX_STALENESS, gap -> { });
        ExampleSink<Experience> sink = new ExampleSink<>() {
            @Override
            public void ready(Experience example, List<RecordPosition> positions) {
                queue.add(example);
            }

            @Override
            public void dropped(List<RecordPosition> positions, String outcome) {
                throw new IllegalStateException("the learner's feed dropped " + positions + " as " + outcome
                        + "; the benchmark stream must hold only trainable records");
            }
        };
        for (int i = 0; i < stream.size(); i++) {
            feed.accept(new RecordPosition(stream.topic(), 0, i), stream.values().get(i), sink);
        }
    }
}
