package dev.flywheel.cli.demo;

import dev.flywheel.monitor.dashboard.DashboardSnapshot;
import java.net.URI;

/** What a running demo tells its display; called from the demo's threads, so implementations synchronise. */
public interface DemoEvents {

    /** A start-up stage began, e.g. "starting the broker". */
    default void stage(String what) {
    }

    /** The monitor serves the dashboard at {@code uri}. */
    default void dashboard(URI uri) {
    }

    /** The learner restored a checkpoint of an earlier run at this version. */
    default void resumed(long version) {
    }

    /** The SFT policy v0 was graded. */
    default void graded(VersionRates sft) {
    }

    /**
     * The learner published a version.
     *
     * @param rates         the version's rates as published
     * @param lag           the monitor's view at this moment (consumer lag per group)
     * @param rolloutsPerS  rollouts generated per second since the previous version (or the start)
     */
    default void published(VersionRates rates, DashboardSnapshot lag, double rolloutsPerS) {
    }
}
