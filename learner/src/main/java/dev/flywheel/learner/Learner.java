package dev.flywheel.learner;

import dev.flywheel.learner.session.LearnerSession;
import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.schemas.PolicyVersion;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.function.Consumer;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The learner service: consumes scored rollouts (PPO, GRPO, RLOO) or preference pairs (DPO, IPO, RM), trains
 * continuously on its own thread, and publishes guarded versions with lineage; restarts resume exactly from the
 * newest checkpoint.
 */
public final class Learner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Learner.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final LearnerSession session;
    private final Thread thread;
    private volatile boolean closing;
    private volatile String failure;
    private volatile LearnerStatus latest;

    private Learner(LearnerSession session) {
        this.session = session;
        this.thread = new Thread(this::run, "flywheel-learner");
        this.latest = session.status(true, null);
    }

    /** Starts a learner; {@code onPublished} hears each version it publishes (on the learner's thread). */
    public static Learner start(KafkaSettings kafka, LearnerConfig config, MeterRegistry registry,
                                Consumer<PolicyVersion> onPublished) {
        Learner learner = new Learner(LearnerSession.open(kafka, config, registry, onPublished));
        learner.thread.start();
        return learner;
    }

    /** Starts a learner without a publish listener. */
    public static Learner start(KafkaSettings kafka, LearnerConfig config, MeterRegistry registry) {
        return start(kafka, config, registry, v -> { });
    }

    private void run() {
        try {
            boolean more = true;
            while (!closing && more) {
                more = session.pollOnce(POLL);
                // The session is confined to this thread; others read this snapshot.
                latest = session.status(true, null);
            }
        } catch (WakeupException woken) {
            // close() interrupted the poll.
        } catch (RuntimeException e) {
            failure = e.toString();
            LOG.error("learner stopped: {}", e.toString(), e);
        } finally {
            session.close();
        }
    }

    /** Progress so far. */
    public LearnerStatus status() {
        LearnerStatus s = latest;
        return new LearnerStatus(thread.isAlive(), s.version(), s.steps(), s.examples(), s.queued(), s.rewardMean(),
                s.kl(), failure);
    }

    /** Waits for the learner to stop by itself ({@code maxSteps} reached, or a failure); true if it did. */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
        return !thread.isAlive();
    }

    /** Stops training after the current batch and closes the clients. */
    @Override
    public void close() {
        closing = true;
        session.wakeup();
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
