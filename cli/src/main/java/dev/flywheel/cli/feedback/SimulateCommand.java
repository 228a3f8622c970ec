package dev.flywheel.cli.feedback;

import dev.flywheel.cli.kafka.KafkaOptions;
import dev.flywheel.cli.metrics.MetricsOptions;
import dev.flywheel.cli.progress.ProgressLine;
import dev.flywheel.core.bootstrap.BootstrapOptions;
import dev.flywheel.feedback.simulate.SimulatedUsers;
import dev.flywheel.feedback.simulate.SimulationReport;
import dev.flywheel.feedback.simulate.SimulationSettings;
import dev.flywheel.runtime.http.Health;
import dev.flywheel.runtime.http.ServiceEndpoint;
import dev.flywheel.schemas.FeedbackKind;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flywheel simulate}: simulated users of the default task, sending prompts and feedback. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {
            "Simulated users of the default task: prompts at a rate, noisy feedback from a crowd of raters.",
            "Sends prompts to fw.prompts at --rate, reads the responses back from fw.rollouts (read_committed) and,",
            "per response and per pair of a prompt's samples, sends feedback to fw.feedback from --raters-per-item",
            "raters, with --noise (an item's shared label is wrong), --disagreement (a rater departs from it),",
            "--feedback-delay and late feedback. Ends with the feedback's",
            "measured noise and disagreement. Runs for --duration, or until Ctrl-C."
        })
public final class SimulateCommand implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Mixin KafkaOptions kafka;
    @Mixin MetricsOptions metrics = MetricsOptions.forComponent("simulate");

    @Option(names = "--rate", paramLabel = "R", defaultValue = "5", description = "Prompts per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--duration", paramLabel = "DURATION", description = "How long to send prompts, e.g. PT60S (default: until Ctrl-C).")
    Duration duration;

    @Option(names = "--drain", paramLabel = "DURATION", defaultValue = "PT10S",
            description = "How long to keep rating responses after the last prompt (default: ${DEFAULT-VALUE}).")
    Duration drain;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seed of the questions and of every rater decision (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--task-seed", paramLabel = "N", defaultValue = "" + BootstrapOptions.SHIPPED_SEED,
            description = "Seed of the task's fact base; the one the models were bootstrapped with (default: ${DEFAULT-VALUE}).")
    long taskSeed;

    @Option(names = "--run-id", paramLabel = "ID", description = "Prefix of the run's prompt ids (default: sim-EPOCHSECONDS).")
    String runId;

    @Option(names = "--raters", paramLabel = "N", defaultValue = "5", description = "Raters in the crowd (default: ${DEFAULT-VALUE}).")
    int raters;

    @Option(names = "--raters-per-item", paramLabel = "N", defaultValue = "3",
            description = "Raters giving feedback on each response and each pair (default: ${DEFAULT-VALUE}).")
    int ratersPerItem;

    @Option(names = "--noise", paramLabel = "P", defaultValue = "0.05",
            description = "Probability that an item's shared label is wrong, in [0, 0.5) (default: ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--disagreement", paramLabel = "P", defaultValue = "0.10",
            description = "Probability that a rater departs from the item's shared label, in [0, 0.5) (default: ${DEFAULT-VALUE}).")
    double disagreement;

    @Option(names = "--feedback-delay", paramLabel = "DURATION", defaultValue = "PT1S",
            description = "Delay between a response and its feedback, wall clock and event time (default: ${DEFAULT-VALUE}).")
    Duration feedbackDelay;

    @Option(names = "--late-fraction", paramLabel = "P", defaultValue = "0.05",
            description = "Share of feedback stamped --late-by after its response (default: ${DEFAULT-VALUE}).")
    double lateFraction;

    @Option(names = "--late-by", paramLabel = "DURATION", defaultValue = "PT30M",
            description = "Event-time lateness of late feedback (default: ${DEFAULT-VALUE}).")
    Duration lateBy;

    @Option(names = "--kinds", paramLabel = "KIND", split = ",", defaultValue = "THUMBS,PAIRWISE",
            description = "Feedback kinds to give, of THUMBS, PAIRWISE, RATING (default: ${DEFAULT-VALUE}).")
    List<FeedbackKind> kinds;

    @Override
    public Integer call() throws InterruptedException {
        SimulationSettings settings = settings();
        PrintWriter out = spec.commandLine().getOut();
        PrometheusMeterRegistry registry = metrics.registry();
        AtomicReference<SimulatedUsers> running = new AtomicReference<>();
        ServiceEndpoint endpoint = metrics.start(registry, () -> running.get() == null
                ? Health.down("starting") : Health.up().with("prompts_sent", Long.toString(running.get().promptsSent())));
        try {
            SimulatedUsers users = SimulatedUsers.start(kafka.settings(), kafka.topics(), settings);
            running.set(users);
            meter(users, registry);
            return run(users, settings, out);
        } finally {
            MetricsOptions.stop(endpoint, registry);
        }
    }

    /** What the simulated users have sent, as flywheel.simulate.* counters. */
    private static void meter(SimulatedUsers users, MeterRegistry registry) {
        FunctionCounter.builder("flywheel.simulate.prompts.sent", users, SimulatedUsers::promptsSent)
                .description("prompts written to the prompts topic").register(registry);
        FunctionCounter.builder("flywheel.simulate.feedback.sent", users, SimulatedUsers::feedbackSent)
                .description("feedback records written to the feedback topic").register(registry);
        FunctionCounter.builder("flywheel.simulate.writes.failed", users, u -> u.report().failed())
                .description("prompts or feedback Kafka did not accept").register(registry);
    }

    private int run(SimulatedUsers users, SimulationSettings settings, PrintWriter out) throws InterruptedException {
        ProgressLine progress = ProgressLine.onTerminal(out, "simulate", 0, "prompts");
        out.printf("simulate %s: %.1f prompts/s to %s, feedback to %s%n", settings.runId(), settings.rate(),
                kafka.topics().prompts().name(), kafka.topics().feedback().name());
        out.flush();
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch reported = new CountDownLatch(1);
        // Ctrl-C: stop the users, then hold the JVM until the report is printed.
        Thread hook = new Thread(() -> {
            interrupted.countDown();
            users.close();
            try {
                reported.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "flywheel-simulate-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            while (!users.awaitCompletion(Duration.ofMillis(500)) && interrupted.getCount() > 0) {
                progress.show(String.format("simulate: %d prompts, %d feedback sent", users.promptsSent(), users.feedbackSent()));
            }
        } finally {
            users.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook stops the users.
            }
        }
        SimulationReport report = users.report();
        progress.finish(report.summary());
        reported.countDown();
        return report.failed() > 0 ? 1 : 0;
    }

    private SimulationSettings settings() {
        String id = runId != null ? runId : "sim-" + TimeUnit.MILLISECONDS.toSeconds(System.currentTimeMillis());
        return SimulationSettings.defaults(id, seed, taskSeed).withLoad(rate, duration)
                .withRaters(raters, ratersPerItem, noise, disagreement)
                .withTiming(feedbackDelay, lateFraction, lateBy, drain).withKinds(new LinkedHashSet<>(kinds));
    }
}
