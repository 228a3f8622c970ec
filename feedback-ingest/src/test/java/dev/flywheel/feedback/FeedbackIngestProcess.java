package dev.flywheel.feedback;

import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.runtime.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Feedback-ingest in a JVM of its own, for the crash test to kill: {@code FeedbackIngestProcess BOOTSTRAP STATE_DIR}.
 * Runs until killed; a plain termination signal closes it gracefully.
 */
public final class FeedbackIngestProcess {
    private FeedbackIngestProcess() {
    }

    /** Starts the app and blocks. */
    public static void main(String[] args) throws InterruptedException {
        FeedbackIngestConfig config = FeedbackIngestConfig.defaults(Topics.defaults()).withStateDir(Path.of(args[1]))
                .withVoting(3, Duration.ofMinutes(10));
        FeedbackIngest app = FeedbackIngest.start(KafkaSettings.of(args[0]), config, new SimpleMeterRegistry());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "feedback-ingest-shutdown"));
        System.out.println("feedback-ingest running");
        stopped.await();
    }
}
