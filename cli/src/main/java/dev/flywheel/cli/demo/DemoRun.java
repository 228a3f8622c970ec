package dev.flywheel.cli.demo;

import dev.flywheel.learner.LearnerStatus;
import dev.flywheel.monitor.dashboard.DashboardSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One demo run from start to report: starts the pipeline, lets it run until the duration is up, the learner stops by
 * itself (its step limit, or a failure) or Ctrl-C, then stops the traffic and the learner, reads the run's lineage
 * to the end, and closes everything in reverse order. Ctrl-C waits for this clean stop.
 */
public final class DemoRun {
    private static final Logger LOG = LoggerFactory.getLogger(DemoRun.class);
    private static final Duration CATCH_UP = Duration.ofSeconds(60);
    private static final long SHUTDOWN_WAIT_MS = TimeUnit.MINUTES.toMillis(3);

    private DemoRun() {
    }

    /** The outcome: the report, and why the learner stopped if it failed. */
    public record Outcome(DemoReport report, String learnerFailure) {
    }

    /**
     * Runs {@code plan} for {@code duration} and hands the outcome to {@code finish} (which prints or writes it)
     * before Ctrl-C is allowed to end the JVM; callers wanting a throw-away run pass a {@link #temporaryDataDir()}
     * in the plan and delete it after.
     */
    public static Outcome execute(DemoPlan plan, DemoEvents events, Duration duration, Consumer<Outcome> finish) {
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                finished.await(SHUTDOWN_WAIT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "flywheel-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (DemoPipeline pipeline = DemoPipeline.start(plan, events)) {
            awaitEnd(pipeline, duration, stop);
            double seconds = pipeline.elapsedSeconds();
            pipeline.stopTraffic();
            pipeline.stopLearner();
            LearnerStatus learner = pipeline.learner().status();
            DashboardSnapshot lag = pipeline.monitor().snapshot();
            if (!pipeline.lineage().awaitCaughtUp(CATCH_UP)) {
                LOG.warn("the lineage follower did not reach the end of its topics in {}; the latency may miss the "
                        + "newest versions", CATCH_UP);
            }
            DemoReport report = DemoReport.of(plan, pipeline, seconds, lag, pipeline.deadLetters());
            pipeline.close();
            Outcome outcome = new Outcome(report, learner.failure());
            finish.accept(outcome);
            return outcome;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the demo", e);
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is waiting for this clean stop, which is now done.
            }
        }
    }

    private static void awaitEnd(DemoPipeline pipeline, Duration duration, CountDownLatch stop)
            throws InterruptedException {
        long deadline = System.nanoTime() + duration.toNanos();
        while (stop.getCount() > 0 && System.nanoTime() < deadline) {
            if (pipeline.learner().awaitStopped(Duration.ofMillis(Math.min(1000,
                    Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())))))) {
                return;
            }
        }
    }

    /** A fresh folder for a run that should leave nothing behind. */
    public static Path temporaryDataDir() {
        try {
            return Files.createTempDirectory("flywheel-demo-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary data directory: " + e.getMessage()
                    + "; pass --data-dir DIR", e);
        }
    }

    /** Deletes a folder made by {@link #temporaryDataDir()}. */
    public static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", dir, e.toString());
        }
    }
}
