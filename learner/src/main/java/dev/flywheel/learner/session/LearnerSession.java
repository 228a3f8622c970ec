package dev.flywheel.learner.session;

import ai.djl.Device;
import dev.flywheel.core.device.Devices;
import dev.flywheel.core.model.TransformerModel;
import dev.flywheel.core.store.ModelStore;
import dev.flywheel.learner.LearnerConfig;
import dev.flywheel.learner.LearnerStatus;
import dev.flywheel.learner.checkpoint.CheckpointStore;
import dev.flywheel.learner.checkpoint.LearnerState;
import dev.flywheel.learner.eval.VersionEvaluator;
import dev.flywheel.learner.intake.DeadLetterWriter;
import dev.flywheel.learner.intake.InputConsumer;
import dev.flywheel.learner.ledger.LedgerSnapshot;
import dev.flywheel.learner.ledger.OffsetLedger;
import dev.flywheel.learner.metrics.LearnerMetrics;
import dev.flywheel.learner.metrics.MetricPoints;
import dev.flywheel.learner.publish.PublishGuards;
import dev.flywheel.learner.publish.VersionPublisher;
import dev.flywheel.learner.train.TrainerState;
import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.schemas.PolicyVersion;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import dev.flywheel.learner.ledger.RecordPosition;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a learner: restores the newest checkpoint (or starts from the bootstrap's model), re-sends a version
 * the checkpoint recorded but the topic lacks, positions the consumer from the ledger, then trains batch by batch.
 * Everything here runs on the learner's one thread.
 */
public final class LearnerSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LearnerSession.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private final LearnerConfig config;
    private final InputConsumer input;
    private final TrainingSession<?> training;
    private final PublicationCycle cycle;
    private final OffsetLedger ledger;
    private final AutoCloseable[] resources;
    private final long startSteps;
    private final Map<TopicPartition, Long> next = new HashMap<>();
    private long lastCommitNanos;

    private LearnerSession(LearnerConfig config, InputConsumer input, TrainingSession<?> training,
                           PublicationCycle cycle, OffsetLedger ledger, AutoCloseable... resources) {
        this.config = config;
        this.input = input;
        this.training = training;
        this.cycle = cycle;
        this.ledger = ledger;
        this.resources = resources;
        this.startSteps = cycle.totalSteps();
    }

    /** Opens a session: loads models and state, catches up on published versions, positions the consumer. */
    public static LearnerSession open(KafkaSettings kafka, LearnerConfig config, MeterRegistry registry,
                                      Consumer<PolicyVersion> onPublished) {
        ModelStore store = ModelStore.open(config.modelStore());
        Device device = Devices.select(config.device());
        CheckpointStore checkpoints = CheckpointStore.in(store, config.checkpointName());
        String modelName = config.algorithm().modelName();
        VersionPublisher publisher = VersionPublisher.to(kafka, config.topics().policyVersions().name(), store);
        long published = PublishedVersions.latest(kafka, config.topics().policyVersions().name(), modelName,
                STARTUP_TIMEOUT);
        Optional<LearnerState> saved = checkpoints.load();
        saved.ifPresent(s -> resendIfMissing(s, published, publisher));
        LearnerState state = saved.orElseGet(() -> new LearnerState(modelName, config.algorithm().flag(), published,
                0, 0, null, config.initialBeta(), new LedgerSnapshot(List.of()), Optional.empty(),
                Optional.empty()));
        TransformerModel model = saved.isPresent() ? store.load(saved.get().trainerBlob()).toModel(device)
                : initialModel(kafka, config, store, device, modelName, published);
        LearnerMetrics metrics = new LearnerMetrics(registry, config.algorithm().flag());
        AtomicReference<PublicationCycle> cycleRef = new AtomicReference<>();
        SessionParts<?> parts = SessionFactory.parts(config, store, device, model, state.beta(),
                () -> cycleRef.get().version(), metrics);
        if (saved.isPresent()) {
            TrainerState tensors = checkpoints.tensors(saved.get());
            parts.trainer().restore(tensors);
            LOG.info("restored checkpoint {}: v{} at step {}", checkpoints.file(), state.version(), state.steps());
        }
        OffsetLedger ledger = OffsetLedger.restore(state.ledger());
        DeadLetterWriter deadLetters = DeadLetterWriter.to(kafka, config.topics().deadLetters().name(), registry);
        MetricPoints points = MetricPoints.to(kafka, config.topics().metrics().name());
        Optional<VersionEvaluator> evaluator = config.algorithm() == dev.flywheel.learner.Algorithm.RM
                ? Optional.empty() : config.evaluateTaskSeed().isPresent()
                ? Optional.of(VersionEvaluator.forTask(config.evaluateTaskSeed().getAsLong())) : Optional.empty();
        PublicationCycle cycle = new PublicationCycle(config.algorithm(), config.publishEvery(), parts.trainer(),
                ledger, checkpoints, publisher, points, metrics, new PublishGuards(config.guards()), evaluator,
                deadLetters, state, parts.trainer().state(), onPublished);
        cycleRef.set(cycle);
        TrainingSession<?> training = training(parts, config, ledger, metrics, deadLetters, cycle);
        InputConsumer input = InputConsumer.open(kafka, config.consumerGroup(), List.copyOf(parts.feeds().keySet()));
        input.assignFrom(ledger, config.fromLatest(), STARTUP_TIMEOUT);
        return new LearnerSession(config, input, training, cycle, ledger, input, publisher, points, deadLetters,
                parts.trainer());
    }

    private static <T> TrainingSession<T> training(SessionParts<T> parts, LearnerConfig config, OffsetLedger ledger,
                                                   LearnerMetrics metrics, DeadLetterWriter deadLetters,
                                                   PublicationCycle cycle) {
        return new TrainingSession<>(parts.trainer(), parts.feeds(), config.batchSize(), parts.hook(), ledger,
                metrics, deadLetters, cycle);
    }

    private static TransformerModel initialModel(KafkaSettings kafka, LearnerConfig config, ModelStore store,
                                                 Device device, String modelName, long published) {
        if (published > 0) {
            PolicyVersion latest = PublishedVersions.record(kafka, config.topics().policyVersions().name(),
                    modelName, published, STARTUP_TIMEOUT);
            LOG.warn("no learner checkpoint at {}; continuing from the published {} v{} (records it was trained on "
                    + "will be read again from the start of the input topics)", config.checkpointName(), modelName,
                    published);
            return store.load(java.net.URI.create(latest.getUri())).toModel(device);
        }
        return store.loadRef(SessionFactory.initialRef(config.algorithm())).toModel(device);
    }

    private static void resendIfMissing(LearnerState state, long published, VersionPublisher publisher) {
        if (state.lastPublished().isPresent() && published < state.version()) {
            PolicyVersion record = VersionPublisher.fromJson(state.lastPublished().get());
            LOG.warn("checkpoint holds v{} but the topic ends at v{}: the learner stopped between checkpoint and "
                    + "publish; sending v{} now", state.version(), published, state.version());
            publisher.send(record);
        }
    }

    /** Polls once, handles what arrived and trains every full batch; false once {@code maxSteps} is reached. */
    public boolean pollOnce(Duration timeout) {
        for (ConsumerRecord<byte[], byte[]> record : input.poll(timeout)) {
            TopicPartition tp = new TopicPartition(record.topic(), record.partition());
            skipGap(tp, record.offset());
            training.handle(record);
            next.put(tp, record.offset() + 1);
        }
        for (TopicPartition tp : input.assignment()) {
            skipGap(tp, input.position(tp));
        }
        long budget = config.maxSteps() == 0 ? Long.MAX_VALUE : config.maxSteps() - (cycle.totalSteps() - startSteps);
        training.trainFullBatches(budget);
        if (System.nanoTime() - lastCommitNanos > 1_000_000_000L) {
            // The read position, not the ledger's watermark: a few examples waiting for a full batch (or a GRPO
            // group) would pin the watermark, and a generator bounding this group's lag would then wait for a learner
            // that waits for it. Restarts seek from the checkpointed ledger, never from these offsets.
            input.commitForMonitoring(next);
            lastCommitNanos = System.nanoTime();
        }
        return config.maxSteps() == 0 || cycle.totalSteps() - startSteps < config.maxSteps();
    }

    /**
     * Absorbs the offsets the consumer passed without returning a record: transaction markers of the scorer's
     * exactly-once writes, and aborted records. They belong to the lineage like any consumed offset (so ranges stay
     * contiguous), and without this the ledger's watermark would stop at the first marker.
     */
    private void skipGap(TopicPartition tp, long upTo) {
        long from = next.computeIfAbsent(tp, k -> ledger.seekOffset(k).orElse(upTo));
        for (long o = from; o < upTo; o++) {
            training.absorbGap(new RecordPosition(tp.topic(), tp.partition(), o));
        }
        if (upTo > from) {
            next.put(tp, upTo);
        }
    }

    /** Progress so far. */
    public LearnerStatus status(boolean running, String failure) {
        return new LearnerStatus(running, cycle.version(), cycle.totalSteps(), training.trained(), training.queued(),
                cycle.lastStat("reward_mean"), cycle.lastStat("kl"), failure);
    }

    /** Interrupts a blocking poll (from any thread). */
    public void wakeup() {
        input.wakeup();
    }

    @Override
    public void close() {
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                LOG.warn("closing {}: {}", r.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
