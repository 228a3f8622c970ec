package dev.flywheel.generator;

import ai.djl.Device;
import dev.flywheel.core.bootstrap.Bootstrap;
import dev.flywheel.core.device.Devices;
import dev.flywheel.core.store.ModelStore;
import dev.flywheel.generator.backpressure.Admission;
import dev.flywheel.generator.backpressure.DownstreamLag;
import dev.flywheel.generator.batching.BatchSampler;
import dev.flywheel.generator.batching.RolloutSampler;
import dev.flywheel.generator.batching.SampledBatch;
import dev.flywheel.generator.metrics.GeneratorMetrics;
import dev.flywheel.generator.swap.PolicyLoader;
import dev.flywheel.generator.swap.PolicySwapper;
import dev.flywheel.runtime.bridge.KafkaReceiver;
import dev.flywheel.runtime.bridge.KafkaSender;
import dev.flywheel.runtime.bridge.ReceivedRecord;
import dev.flywheel.runtime.bridge.ReceiverOptions;
import dev.flywheel.runtime.bridge.SenderOptions;
import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.runtime.deadletter.DeadLetters;
import dev.flywheel.runtime.versions.VersionFeed;
import dev.flywheel.schemas.PolicyVersion;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * The generator service: prompts in, n sampled rollouts per prompt out, exactly once.
 *
 * <pre>{@code
 * try (Generator generator = Generator.start(KafkaSettings.of("127.0.0.1:9092"),
 *         GeneratorConfig.builder(Path.of("models")).samplesPerPrompt(4).build(), registry, GeneratorListener.silent())) {
 *     generator.termination().join();
 * }
 * }</pre>
 *
 * <p>Prompts arrive through the reactive bridge in micro-batches; each batch waits at the {@link Admission} gate
 * (staleness and downstream-lag bounds; pending policy versions are swapped in there), is sampled on the sampling
 * thread with one policy version, and is committed in one Kafka transaction together with its prompt offsets and
 * its dead letters. A failed transaction tears the consumer and producer down and starts them again from the
 * committed offsets; only a fenced producer (another live instance with the same id) stops the generator.
 */
public final class Generator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Generator.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaSettings kafka;
    private final GeneratorConfig config;
    private final MeterRegistry registry;
    private final GeneratorListener listener;
    private final GeneratorMetrics metrics;
    private final Admin admin;
    private final CompletableFuture<Void> termination = new CompletableFuture<>();
    private final AtomicInteger sessions = new AtomicInteger();
    private final AtomicLong handled = new AtomicLong();
    private VersionFeed feed;
    private PolicySwapper swapper;
    private DownstreamLag lag;
    private Admission admission;
    private BatchSampler batchSampler;
    private DeadLetters deadLetters;
    private List<TopicPartition> promptPartitions;
    private ExecutorService samplingThread;
    private Scheduler sampling;
    private Disposable running;
    private volatile boolean closing;

    private Generator(KafkaSettings kafka, GeneratorConfig config, MeterRegistry registry, GeneratorListener listener) {
        this.kafka = kafka;
        this.config = config;
        this.registry = registry;
        this.listener = listener;
        this.metrics = new GeneratorMetrics(registry, config.instanceId());
        this.admin = Admin.create(kafka.clientProperties(Map.of("default.api.timeout.ms", 30_000,
                "request.timeout.ms", 10_000)));
    }

    /**
     * Connects, loads the newest good policy version (or the store's {@code policy-v0} as version 0) and starts
     * consuming prompts; returns once sampling can begin.
     */
    public static Generator start(KafkaSettings kafka, GeneratorConfig config, MeterRegistry registry,
                                  GeneratorListener listener) {
        Generator generator = new Generator(kafka, config, registry, listener);
        try {
            generator.open();
        } catch (RuntimeException e) {
            generator.close();
            throw e;
        }
        return generator;
    }

    /** The feed carries every model's versions (policy, reward model, …); the generator samples from one. */
    private boolean isOurModel(PolicyVersion version) {
        return config.modelName().equals(version.getModel());
    }

    private void open() {
        if (!Files.isDirectory(config.modelStore())) {
            throw new IllegalArgumentException("--model-store " + config.modelStore() + " is not a directory: run "
                    + "`flywheel bootstrap --out " + config.modelStore() + "` first, or point it at your model store");
        }
        Device device = Devices.select(config.device());
        promptPartitions = Topology.promptPartitions(admin, config, STARTUP_TIMEOUT);
        feed = VersionFeed.of(kafka, config.topics().policyVersions().name(), "fw-generator-versions",
                where -> metrics.versionRejected("undecodable"));
        PolicyLoader loader = new PolicyLoader(ModelStore.open(config.modelStore()), device);
        List<PolicyVersion> history = feed.catchUp(STARTUP_TIMEOUT).stream().filter(this::isOurModel).toList();
        swapper = PolicySwapper.startingFrom(history, loader, Bootstrap.POLICY_REF, metrics, listener);
        feed.follow(version -> {
            if (isOurModel(version)) {
                swapper.observe(version);
            }
        });
        if (config.boundsDownstreamLag()) {
            lag = DownstreamLag.watch(admin, config.downstreamTopic(), config.downstreamGroup(),
                    config.lagCheckInterval(), metrics);
        }
        admission = new Admission(swapper::swapIfPending, swapper::staleness, config.maxStaleness(), lag,
                config.maxDownstreamLag(), metrics, listener);
        deadLetters = DeadLetters.to(config.topics().deadLetters().name(), registry);
        batchSampler = new BatchSampler(new RolloutSampler(config.sampling(), config.samplesPerPrompt()), deadLetters,
                config.topics().rollouts().name(), metrics);
        samplingThread = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "fw-generator-sampler-" + config.instanceId());
            thread.setDaemon(true);
            return thread;
        });
        sampling = Schedulers.fromExecutorService(samplingThread, "fw-generator-sampler");
        long version = swapper.current().version();
        LOG.info("generator {} samples with policy version {} (sha256 {}); prompts from {} ({} partitions), "
                        + "rollouts to {}, {} samples per prompt", config.instanceId(), version,
                swapper.current().sha256(), config.topics().prompts().name(), promptPartitions.size(),
                config.topics().rollouts().name(), config.samplesPerPrompt());
        listener.started(version);
        running = Flux.using(this::newSession, this::batches, PromptSession::close)
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(30))
                        .filter(error -> !closing && !Topology.fenced(error))
                        .doBeforeRetry(signal -> LOG.warn("generator {}: restarting from the committed prompt offsets "
                                + "after: {}", config.instanceId(), signal.failure().toString())))
                .subscribe(listener::batchCommitted, this::failed, () -> termination.complete(null));
    }

    private PromptSession newSession() {
        int attempt = sessions.getAndIncrement();
        String name = "generator-" + config.instanceId() + (attempt == 0 ? "" : "-" + attempt);
        KafkaReceiver<byte[], byte[]> receiver = KafkaReceiver.create(
                ReceiverOptions.ofBytes(Topology.consumerProperties(kafka, config))
                        .subscribe(config.topics().prompts().name())
                        .watermarks(4 * config.batchSize(), config.batchSize())
                        .transactional().name(name).build(), registry);
        Properties producer = kafka.clientProperties(Map.of(ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000));
        KafkaSender<byte[], byte[]> sender = KafkaSender.create(SenderOptions.ofBytes(producer)
                .transactionalId(config.transactionalId()).name(name).build(), registry);
        PromptSession session = new PromptSession(receiver, sender, promptPartitions);
        admission.controlPartitionsWith(session::pausePrompts);
        return session;
    }

    private Flux<BatchReport> batches(PromptSession session) {
        Flux<BatchReport> reports = session.run(config, this::sample, this::committed, sampling);
        return config.maxPrompts() > 0 ? reports.takeUntil(report -> handled.get() >= config.maxPrompts()) : reports;
    }

    private Mono<SampledBatch> sample(List<ReceivedRecord<byte[], byte[]>> batch) {
        long arrival = System.nanoTime();
        return Mono.fromCallable(() -> {
            admission.awaitOpen(() -> closing);
            return batchSampler.sample(batch, swapper.current(), arrival);
        }).subscribeOn(sampling);
    }

    private BatchReport committed(SampledBatch batch) {
        batch.deadLetters().forEach(deadLetters::countWritten);
        Duration latency = Duration.ofNanos(System.nanoTime() - batch.arrivalNanos());
        int prompts = batch.consumed().size();
        metrics.batchCommitted(prompts - batch.deadLetters().size(), batch.rollouts(), batch.tokens(), latency);
        if (lag != null) {
            // Each rollout becomes one scored rollout downstream; counting it now keeps the estimate on the safe side.
            lag.produced(batch.rollouts());
        }
        handled.addAndGet(prompts);
        return new BatchReport(batch.policyVersion(), prompts, batch.rollouts(), batch.deadLetters().size(),
                batch.tokens(), latency);
    }

    private void failed(Throwable error) {
        if (!closing) {
            LOG.error("generator {} stopped: {}", config.instanceId(), error.toString());
        }
        termination.completeExceptionally(error);
    }

    /** The policy version sampling uses now. */
    public long policyVersion() {
        return swapper.current().version();
    }

    /** Completes when the generator stops: normally after {@code maxPrompts}, exceptionally when it failed. */
    public CompletableFuture<Void> termination() {
        return termination;
    }

    /** The error that stopped the generator, if one did. */
    public Optional<Throwable> failure() {
        return termination.isCompletedExceptionally()
                ? Optional.of(termination.handle((ok, error) -> error).join()) : Optional.empty();
    }

    /** Stops consuming, lets the batch being sampled finish or abort, and releases models and clients. */
    @Override
    public void close() {
        closing = true;
        if (running != null) {
            running.dispose();
        }
        if (samplingThread != null) {
            samplingThread.shutdown();
            try {
                if (!samplingThread.awaitTermination(2, TimeUnit.MINUTES)) {
                    LOG.warn("generator {}: sampling still busy after 2 minutes", config.instanceId());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sampling.dispose();
        }
        if (feed != null) {
            feed.close();
        }
        if (lag != null) {
            lag.close();
        }
        if (swapper != null) {
            swapper.close();
        }
        admin.close(Duration.ofSeconds(10));
        termination.complete(null);
    }
}
