package dev.flywheel.cli.demo;

import ai.djl.Device;
import dev.flywheel.core.bootstrap.Bootstrap;
import dev.flywheel.core.bootstrap.BootstrapListener;
import dev.flywheel.core.bootstrap.BootstrapOptions;
import dev.flywheel.core.bootstrap.ShippedModels;
import dev.flywheel.core.model.TransformerModel;
import dev.flywheel.core.store.ModelStore;
import dev.flywheel.feedback.FeedbackIngest;
import dev.flywheel.feedback.FeedbackIngestConfig;
import dev.flywheel.feedback.simulate.SimulatedUsers;
import dev.flywheel.generator.BatchReport;
import dev.flywheel.generator.Generator;
import dev.flywheel.generator.GeneratorListener;
import dev.flywheel.learner.Learner;
import dev.flywheel.learner.eval.VersionEvaluator;
import dev.flywheel.monitor.Monitor;
import dev.flywheel.monitor.MonitorConfig;
import dev.flywheel.monitor.lag.LagConfig;
import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.runtime.embedded.EmbeddedKafka;
import dev.flywheel.runtime.http.EndpointAddress;
import dev.flywheel.runtime.http.ServiceMetrics;
import dev.flywheel.runtime.topics.Topics;
import dev.flywheel.schemas.PolicyVersion;
import dev.flywheel.scorer.Scorer;
import dev.flywheel.scorer.ScorerConfig;
import dev.flywheel.scorer.reward.RewardRecipe;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole loop in this JVM, each service started as it would run alone and talking to the others only through
 * Kafka: embedded broker, topics, models, monitor, scorer, feedback-ingest, generator, learner and simulated users.
 * {@link #close()} stops them in reverse order.
 */
public final class DemoPipeline implements AutoCloseable {
    /** The generator's consumer group. */
    public static final String GENERATOR_GROUP = "flywheel-generator";
    /** The scorer's Kafka Streams application id (its consumer group). */
    public static final String SCORER_GROUP = "flywheel-scorer";
    /** The learner's consumer group. */
    public static final String LEARNER_GROUP = "flywheel-learner";

    private static final Logger LOG = LoggerFactory.getLogger(DemoPipeline.class);

    private final DemoPlan plan;
    private final DemoEvents events;
    private final Topics topics = Topics.defaults();
    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private final PrometheusMeterRegistry registry = ServiceMetrics.prometheus("demo");
    private final AtomicLong rollouts = new AtomicLong();
    private final AtomicLong rolloutsAtLastVersion = new AtomicLong();
    private final String ingestGroup = FeedbackIngestConfig.defaults(topics).applicationId();
    private volatile long lastVersionNanos = System.nanoTime();
    private KafkaSettings kafka;
    private Monitor monitor;
    private LineageLatency lineage;
    private Learner learner;
    private SimulatedUsers users;
    private VersionRates sft;
    private Instant startedAt;
    private long startedNanos;
    private long resumedAt;
    private DeadLetterCount deadLetters;

    private DemoPipeline(DemoPlan plan, DemoEvents events) {
        this.plan = plan;
        this.events = events;
        running.push(registry::close);
    }

    /** Starts everything; on failure, stops what was started and rethrows. */
    public static DemoPipeline start(DemoPlan plan, DemoEvents events) {
        DemoPipeline pipeline = new DemoPipeline(plan, events);
        try {
            pipeline.open();
        } catch (RuntimeException e) {
            pipeline.close();
            throw e;
        }
        return pipeline;
    }

    private void open() {
        Path dir = plan.dataDir().toAbsolutePath();
        events.stage("starting Apache Kafka (KRaft) with data in " + dir.resolve("broker"));
        EmbeddedKafka broker = remember(EmbeddedKafka.builder().dataDir(dir.resolve("broker")).build().start());
        kafka = KafkaSettings.of(broker.bootstrapServers());
        try (Admin admin = Admin.create(kafka.adminProperties())) {
            topics.createAll(admin);
        }
        deadLetters = DeadLetterCount.from(kafka, topics.deadLetters().name());
        Path store = installModels(dir.resolve("models"));
        long taskSeed = BootstrapOptions.SHIPPED_SEED;
        events.stage("grading the SFT policy v0 on the held-out questions");
        sft = gradeSft(store, taskSeed);
        events.graded(sft);
        events.stage("starting monitor, scorer, feedback-ingest, generator, learner and simulated users");
        monitor = remember(Monitor.start(kafka, MonitorConfig.listeningOn(EndpointAddress.loopback(plan.dashboardPort()))
                .withTopics(topics).withLag(LagConfig.defaults().withInterval(plan.settings().lagInterval())
                        .withGroups(serviceGroups())), registry));
        events.dashboard(monitor.uri());
        lineage = remember(LineageLatency.follow(kafka, topics, plan.algorithm().modelName()));
        remember(Scorer.start(kafka, ScorerConfig.builder(store).topics(topics).applicationId(SCORER_GROUP)
                .reward(RewardRecipe.of(plan.reward())).stateDir(dir.resolve("state/scorer")).build(), registry));
        remember(FeedbackIngest.start(kafka, FeedbackIngestConfig.defaults(topics)
                .withStateDir(dir.resolve("state/feedback-ingest")), registry));
        remember(Generator.start(kafka, plan.settings().generator(store, topics, GENERATOR_GROUP, LEARNER_GROUP,
                plan.seed()), registry, new Counting()));
        startedAt = Instant.now();
        startedNanos = System.nanoTime();
        lastVersionNanos = startedNanos;
        learner = remember(Learner.start(kafka, plan.settings().learner(plan.algorithm(), store, topics, LEARNER_GROUP,
                taskSeed), registry, this::published));
        resumedAt = learner.status().version();
        if (resumedAt > 0) {
            events.resumed(resumedAt);
        }
        String runId = "demo-" + Long.toString(System.currentTimeMillis(), 36);
        users = remember(SimulatedUsers.start(kafka, topics, plan.settings().users(runId, plan.seed(), taskSeed)));
    }

    private Path installModels(Path store) {
        if (ShippedModels.available()) {
            events.stage("installing the shipped bootstrap models into " + store);
            ShippedModels.install(store);
        } else if (ModelStore.open(store).ref(Bootstrap.POLICY_REF).isEmpty()) {
            events.stage("this build ships no models: running the bootstrap into " + store + " (several minutes)");
            Bootstrap.run(BootstrapOptions.full(store, BootstrapOptions.SHIPPED_SEED), BootstrapListener.logging(LOG));
        }
        return store;
    }

    private static VersionRates gradeSft(Path store, long taskSeed) {
        try (TransformerModel policy = ModelStore.open(store).loadRef(Bootstrap.POLICY_REF).toModel(Device.cpu())) {
            Map<String, Double> eval = VersionEvaluator.forTask(taskSeed).evaluate(policy);
            return VersionRates.graded(0, 0, null, 0.0, eval);
        }
    }

    private List<String> serviceGroups() {
        return List.of(GENERATOR_GROUP, SCORER_GROUP, ingestGroup, LEARNER_GROUP);
    }

    private void published(PolicyVersion v) {
        long now = System.nanoTime();
        long total = rollouts.get();
        double seconds = Math.max(1e-3, (now - lastVersionNanos) / 1e9);
        double rate = (total - rolloutsAtLastVersion.getAndSet(total)) / seconds;
        lastVersionNanos = now;
        events.published(VersionRates.of(v), monitor.snapshot(), rate);
    }

    private <T extends AutoCloseable> T remember(T service) {
        running.push(service);
        return service;
    }

    /** Counts the rollouts the generator commits. */
    private final class Counting implements GeneratorListener {
        @Override
        public void batchCommitted(BatchReport report) {
            rollouts.addAndGet(report.rollouts());
        }
    }

    /** The broker's bootstrap servers. */
    public KafkaSettings kafka() {
        return kafka;
    }

    /** The consumer groups of the generator, scorer, feedback-ingest and learner, in that order. */
    public List<String> groups() {
        return serviceGroups();
    }

    /** The monitor (dashboard, lag). */
    public Monitor monitor() {
        return monitor;
    }

    /** The learner. */
    public Learner learner() {
        return learner;
    }

    /** The lineage follower. */
    public LineageLatency lineage() {
        return lineage;
    }

    /** The SFT policy graded at start. */
    public VersionRates sft() {
        return sft;
    }

    /** When the services were up and the learner started. */
    public Instant startedAt() {
        return startedAt;
    }

    /** The version the learner resumed at (0 on a fresh data directory). */
    public long resumedAt() {
        return resumedAt;
    }

    /** Rollouts the generator committed in this run. */
    public long rollouts() {
        return rollouts.get();
    }

    /** Seconds since the services were up. */
    public double elapsedSeconds() {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    /** Records written to the dead-letter topic since the topics were created or found. */
    public long deadLetters() {
        return deadLetters.count();
    }

    /** The simulated users, which stop first. */
    public void stopTraffic() {
        if (users != null) {
            running.remove(users);
            users.close();
            users = null;
        }
    }

    /** Stops the learner after its current batch, so its last version is final. */
    public void stopLearner() {
        if (learner != null) {
            running.remove(learner);
            learner.close();
        }
    }

    /** Stops every service, newest first, then the broker. */
    @Override
    public void close() {
        while (!running.isEmpty()) {
            AutoCloseable service = running.pop();
            try {
                service.close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed: {}", service.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
