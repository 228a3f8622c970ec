package dev.flywheel.cli.feedback;

import dev.flywheel.cli.kafka.KafkaOptions;
import dev.flywheel.cli.metrics.MetricsOptions;
import dev.flywheel.cli.metrics.StreamsHealth;
import dev.flywheel.cli.progress.ProgressLine;
import dev.flywheel.feedback.FeedbackIngest;
import dev.flywheel.feedback.FeedbackIngestConfig;
import dev.flywheel.feedback.metrics.FeedbackMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import dev.flywheel.runtime.http.Health;
import dev.flywheel.runtime.http.ServiceEndpoint;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flywheel feedback-ingest}: the feedback-ingest Kafka Streams app in the foreground. */
@Command(name = "feedback-ingest", mixinStandardHelpOptions = true,
        description = {
            "Turns user feedback into preference pairs and human reward labels (Kafka Streams, exactly once).",
            "Joins fw.feedback with fw.rollouts (by response id, within --join-window) and emits:",
            "PreferencePairs on fw.preferences (PAIRWISE votes of several raters aggregated by majority, thumbs up vs",
            "down on two responses to one prompt, corrections), HUMAN reward labels on fw.scored-rollouts (THUMBS,",
            "RATING, ABSTAIN_OK) and rater disagreement on fw.metrics. Invalid, unknown and expired feedback goes to",
            "fw.dead-letters with the reason. Runs until Ctrl-C or --run-for."
        })
public final class FeedbackIngestCommand implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Mixin KafkaOptions kafka;
    @Mixin MetricsOptions metrics = MetricsOptions.forComponent("feedback-ingest");

    @Option(names = "--join-window", paramLabel = "DURATION", defaultValue = "P7D",
            description = "How long after a response feedback on it still joins, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration joinWindow;

    @Option(names = "--quorum", paramLabel = "N", defaultValue = "3",
            description = "Distinct raters on a pair after which its PreferencePair is emitted (default: ${DEFAULT-VALUE}).")
    int quorum;

    @Option(names = "--vote-window", paramLabel = "DURATION", defaultValue = "PT60S",
            description = "Wall-clock time after a pair's first vote after which it is emitted with the votes it has, "
                    + "if the quorum was not reached (default: ${DEFAULT-VALUE}).")
    Duration voteWindow;

    @Option(names = "--unknown-id-grace", paramLabel = "DURATION", defaultValue = "PT30S",
            description = "How long feedback waits for a response it names before it is dead-lettered as unknown "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration unknownIdGrace;

    @Option(names = "--metrics-interval", paramLabel = "DURATION", defaultValue = "PT30S",
            description = "Period of the rater-disagreement points on the metrics topic (default: ${DEFAULT-VALUE}).")
    Duration metricsInterval;

    @Option(names = "--application-id", paramLabel = "ID",
            description = "Kafka Streams application id: consumer group, transactional ids, internal topic prefix "
                    + "(default: PREFIX + feedback-ingest).")
    String applicationId;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Kafka Streams state directory (default: Kafka's).")
    Path stateDir;

    @Option(names = "--run-for", paramLabel = "DURATION", description = "Stop after this long (default: until Ctrl-C).")
    Duration runFor;

    @Override
    public Integer call() throws InterruptedException {
        FeedbackIngestConfig config = config();
        PrintWriter out = spec.commandLine().getOut();
        PrometheusMeterRegistry registry = metrics.registry();
        AtomicReference<FeedbackIngest> running = new AtomicReference<>();
        ServiceEndpoint endpoint = metrics.start(registry, () -> running.get() == null
                ? Health.down("starting") : StreamsHealth.of(running.get().state()));
        try {
            return run(config, out, registry, running);
        } finally {
            MetricsOptions.stop(endpoint, registry);
        }
    }

    private int run(FeedbackIngestConfig config, PrintWriter out, MeterRegistry registry,
                    AtomicReference<FeedbackIngest> running) throws InterruptedException {
        ProgressLine progress = ProgressLine.onTerminal(out, "feedback-ingest", 0, "feedback");
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        // Ctrl-C: ask the loop below to stop, then hold the JVM until the app is closed and the summary printed.
        Thread hook = new Thread(() -> {
            stop.countDown();
            awaitQuietly(stopped);
        }, "flywheel-feedback-ingest-shutdown");
        FeedbackIngest app = FeedbackIngest.start(kafka.settings(), config, registry);
        running.set(app);
        Runtime.getRuntime().addShutdownHook(hook);
        out.printf("feedback-ingest %s: %s + %s -> %s, %s%n", config.applicationId(), config.topics().feedback().name(),
                config.topics().rollouts().name(), config.topics().preferences().name(),
                config.topics().scoredRollouts().name());
        out.flush();
        long deadline = runFor == null ? Long.MAX_VALUE : System.nanoTime() + runFor.toNanos();
        try {
            while (!stop.await(1, TimeUnit.SECONDS) && System.nanoTime() < deadline
                    && app.state() != KafkaStreams.State.ERROR && app.state() != KafkaStreams.State.NOT_RUNNING) {
                progress.show(status(registry, app));
            }
        } finally {
            app.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the JVM is exiting and the app is closed above.
            }
        }
        progress.finish("feedback-ingest stopped: " + status(registry, app));
        stopped.countDown();
        return app.state() == KafkaStreams.State.ERROR ? 1 : 0;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(90, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private FeedbackIngestConfig config() {
        FeedbackIngestConfig config = FeedbackIngestConfig.defaults(kafka.topics()).withJoinWindow(joinWindow)
                .withVoting(quorum, voteWindow).withUnknownIdGrace(unknownIdGrace).withMetricsInterval(metricsInterval)
                .withStateDir(stateDir);
        if (applicationId != null) {
            config = config.withApplicationId(applicationId);
        }
        if (runFor != null && (runFor.isNegative() || runFor.isZero())) {
            throw new IllegalArgumentException("--run-for must be a positive duration such as PT60S, was " + runFor);
        }
        return config;
    }

    private static String status(MeterRegistry registry, FeedbackIngest app) {
        return String.format("%s, %d feedback read, %d joined, %d pairs, %d labels, %d dead-lettered, rater "
                        + "disagreement %.3f", app.state(), total(registry, FeedbackMetrics.RECEIVED),
                total(registry, FeedbackMetrics.JOINED), total(registry, FeedbackMetrics.PAIRS),
                total(registry, FeedbackMetrics.LABELS), total(registry, "flywheel.deadletters"),
                app.metrics().disagreement());
    }

    private static long total(MeterRegistry registry, String counter) {
        return (long) registry.find(counter).counters().stream().mapToDouble(Counter::count).sum();
    }
}
