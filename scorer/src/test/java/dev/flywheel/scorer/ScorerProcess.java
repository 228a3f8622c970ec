package dev.flywheel.scorer;

import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.runtime.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A scorer in a JVM of its own, for the crash test to kill: {@code ScorerProcess BOOTSTRAP MODEL_STORE PREFIX STATE_DIR}.
 * Runs until killed; a plain termination signal closes it gracefully.
 */
public final class ScorerProcess {
    private ScorerProcess() {
    }

    /** Starts the scorer and blocks. */
    public static void main(String[] args) {
        ScorerConfig config = config(Path.of(args[1]), Topics.withPrefix(args[2])).stateDir(Path.of(args[3])).build();
        Scorer scorer = Scorer.start(KafkaSettings.of(args[0]), config, new SimpleMeterRegistry());
        Runtime.getRuntime().addShutdownHook(new Thread(scorer::close, "scorer-shutdown"));
        System.out.println("scorer running");
        scorer.termination().join();
    }

    static ScorerConfig.Builder config(Path modelStore, Topics topics) {
        return ScorerConfig.builder(modelStore).topics(topics).applicationId(applicationId(topics))
                .batches(8, Duration.ofMillis(50));
    }

    static String applicationId(Topics topics) {
        return topics.prefix() + "scorer";
    }
}
