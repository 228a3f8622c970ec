package dev.flywheel.cli.demo;

import dev.flywheel.learner.Algorithm;
import dev.flywheel.scorer.reward.RewardMode;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What one demo run does.
 *
 * @param algorithm     what the learner trains
 * @param reward        the scorer's reward recipe
 * @param dataDir       broker logs, model store, learner checkpoints and Streams state; reused to resume
 * @param dashboardPort the monitor's port on 127.0.0.1 (0 picks a free one)
 * @param seed          seeds the simulated users and the generator's sampling
 * @param settings      traffic, batch and publishing settings
 */
public record DemoPlan(Algorithm algorithm, RewardMode reward, Path dataDir, int dashboardPort, long seed,
                       DemoSettings settings) {

    /** Checks the plan names everything it needs. */
    public DemoPlan {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(reward, "reward");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(settings, "settings");
        if (algorithm == Algorithm.RM) {
            throw new IllegalArgumentException("--algo rm refreshes the reward model and publishes no policy: the "
                    + "demo trains a policy, so use ppo, grpo, rloo, dpo or ipo");
        }
    }

    /** The same plan keeping its data in {@code dir}. */
    public DemoPlan withDataDir(Path dir) {
        return new DemoPlan(algorithm, reward, dir, dashboardPort, seed, settings);
    }
}
