package dev.flywheel.core.bootstrap;

import org.slf4j.Logger;

/** Receives the bootstrap's progress; the CLI renders it, tests log it. Called on the bootstrap's thread. */
public interface BootstrapListener {

    /** A stage begins and will take {@code totalSteps} steps. */
    default void stageStarted(Stage stage, int totalSteps) {
    }

    /** A step of the running stage is done (not necessarily called on every step). */
    void progress(Progress progress);

    /** A stage ends, with a one-line summary of what it achieved. */
    default void stageFinished(Stage stage, String summary) {
    }

    /** A listener that ignores everything. */
    static BootstrapListener silent() {
        return progress -> { };
    }

    /** A listener that logs stage boundaries at INFO and progress lines at DEBUG. */
    static BootstrapListener logging(Logger log) {
        return new BootstrapListener() {
            @Override
            public void stageStarted(Stage stage, int totalSteps) {
                log.info("bootstrap {}: {} steps", stage.label(), totalSteps);
            }

            @Override
            public void progress(Progress progress) {
                log.debug("bootstrap {}", progress.line());
            }

            @Override
            public void stageFinished(Stage stage, String summary) {
                log.info("bootstrap {} done: {}", stage.label(), summary);
            }
        };
    }
}
