package dev.flywheel.cli.scorer;

import dev.flywheel.cli.kafka.KafkaOptions;
import dev.flywheel.cli.metrics.MetricsOptions;
import dev.flywheel.cli.metrics.StreamsHealth;
import dev.flywheel.cli.progress.ProgressLine;
import dev.flywheel.core.device.TorchThreads;
import dev.flywheel.core.task.TruthfulnessReward;
import dev.flywheel.scorer.Scorer;
import dev.flywheel.scorer.ScorerConfig;
import dev.flywheel.scorer.reward.RewardMode;
import dev.flywheel.scorer.reward.RewardRecipe;
import dev.flywheel.scorer.scoring.ModelsInUse;
import dev.flywheel.runtime.http.Health;
import dev.flywheel.runtime.http.ServiceEndpoint;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flywheel scorer}: the scorer service in the foreground. */
@Command(name = "scorer", mixinStandardHelpOptions = true,
        description = {
            "Scores every rollout on fw.rollouts and writes it to fw.scored-rollouts: reward-model score and/or",
            "the task's right/refuse/wrong judge (--reward), reference log-probs, per-token KL k1/k3 and the shaped",
            "PPO reward (-beta*k1 per token plus the clipped reward on the last). Kafka Streams with exactly_once_v2;",
            "rollouts are scored in micro-batches; bad records go to fw.dead-letters. Reward statistics per policy",
            "version and 10 s window go to fw.metrics. Follows fw.policy-versions: new reward-model and reference",
            "versions are verified and hot-swapped between batches, and the newest policy version's beta is adopted.",
            "Runs until Ctrl-C or --max-rollouts."
        })
public final class ScorerCommand implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Mixin KafkaOptions kafka;
    @Mixin MetricsOptions metrics = MetricsOptions.forComponent("scorer");

    @Option(names = "--model-store", required = true, paramLabel = "DIR",
            description = "Model store holding the reward-model and reference refs (from 'flywheel bootstrap --out DIR').")
    Path modelStore;

    @Option(names = "--device", paramLabel = "cpu|gpu", defaultValue = "cpu",
            description = "Where the models run: cpu, or gpu (a CUDA GPU visible to DJL) (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--application-id", paramLabel = "ID", defaultValue = "flywheel-scorer",
            description = "Kafka Streams application id: consumer group, transactional ids, internal topics (default: ${DEFAULT-VALUE}).")
    String applicationId;

    @Option(names = "--reward", paramLabel = "rm|judge|rm+judge", defaultValue = "rm",
            description = "Reward: the reward model, the task's exact judge, or their weighted sum (default: ${DEFAULT-VALUE}).")
    String reward;

    @Option(names = "--rm-weight", paramLabel = "W", defaultValue = "0.5",
            description = "Weight of the reward-model score in rm+judge (default: ${DEFAULT-VALUE}).")
    double rmWeight;

    @Option(names = "--judge-weight", paramLabel = "W", defaultValue = "0.5",
            description = "Weight of the judge's reward in rm+judge (default: ${DEFAULT-VALUE}).")
    double judgeWeight;

    @Option(names = "--judge-rewards", paramLabel = "RIGHT,REFUSE,WRONG", defaultValue = "1,0,-1",
            description = "Judge rewards for right, refuse and wrong; right > refuse > wrong (default: ${DEFAULT-VALUE}).")
    String judgeRewards;

    @Option(names = "--reward-clip", paramLabel = "C", defaultValue = "5.0",
            description = "The reward in the last token's shaped reward is clipped to [-C, C] (default: ${DEFAULT-VALUE}).")
    double rewardClip;

    @Option(names = "--beta", paramLabel = "B", defaultValue = "0.05",
            description = "KL coefficient until a policy version carries the learner's (default: ${DEFAULT-VALUE}).")
    double beta;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "32",
            description = "Most rollouts per model call, per input partition (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--max-batch-delay-ms", paramLabel = "MS", defaultValue = "50",
            description = "Longest a rollout waits for its batch to fill up (default: ${DEFAULT-VALUE}).")
    long maxBatchDelayMs;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Kafka Streams state directory (default: a directory under java.io.tmpdir).")
    Path stateDir;

    @Option(names = "--max-rollouts", paramLabel = "N", defaultValue = "0",
            description = "Stop after scoring N rollouts; 0 runs until Ctrl-C (default: ${DEFAULT-VALUE}).")
    long maxRollouts;

    @Option(names = "--torch-threads", paramLabel = "N", defaultValue = "1",
            description = "libtorch intra-op threads (default: ${DEFAULT-VALUE}).")
    int torchThreads;

    @Override
    public Integer call() throws InterruptedException {
        ScorerConfig config = config();
        if (torchThreads < 1) {
            throw new IllegalArgumentException("--torch-threads must be at least 1, was " + torchThreads);
        }
        if (maxRollouts < 0) {
            throw new IllegalArgumentException("--max-rollouts must be >= 0, was " + maxRollouts);
        }
        TorchThreads.set(torchThreads);
        PrintWriter out = spec.commandLine().getOut();
        PrometheusMeterRegistry registry = metrics.registry();
        // The endpoint comes up first, so a busy port fails before the models load and /health says "starting".
        AtomicReference<Scorer> running = new AtomicReference<>();
        ServiceEndpoint endpoint = metrics.start(registry, () -> running.get() == null
                ? Health.down("starting") : StreamsHealth.of(running.get().state()));
        try {
            Scorer scorer = Scorer.start(kafka.settings(), config, registry);
            running.set(scorer);
            return run(scorer, config, out);
        } finally {
            MetricsOptions.stop(endpoint, registry);
        }
    }

    private int run(Scorer scorer, ScorerConfig config, PrintWriter out) throws InterruptedException {
        ProgressLine line = ProgressLine.onTerminal(out, "scorer", maxRollouts, "rollouts");
        ModelsInUse models = scorer.modelsInUse();
        out.printf("scorer %s: reward %s, reward model v%d, reference v%d, beta %s; %s -> %s%n", applicationId,
                config.recipe().mode().option(), models.rewardVersion(), models.referenceVersion(), models.beta(),
                config.topics().rollouts().name(), config.topics().scoredRollouts().name());
        out.flush();
        Thread hook = new Thread(scorer::close, "flywheel-scorer-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            waitUntilDone(scorer, line);
        } finally {
            scorer.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is already closing the scorer.
            }
        }
        line.finish(String.format("scored %d rollouts; reward model v%d, reference v%d at the end", scorer.scored(),
                scorer.modelsInUse().rewardVersion(), scorer.modelsInUse().referenceVersion()));
        return 0;
    }

    private void waitUntilDone(Scorer scorer, ProgressLine line) throws InterruptedException {
        while (maxRollouts == 0 || scorer.scored() < maxRollouts) {
            try {
                scorer.termination().get(250, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException stillRunning) {
                ModelsInUse models = scorer.modelsInUse();
                line.update(scorer.scored(), "reward model v" + models.rewardVersion() + ", reference v"
                        + models.referenceVersion() + ", beta " + models.beta());
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("the scorer stopped: " + e.getCause().getMessage(), e.getCause());
            }
        }
    }

    private ScorerConfig config() {
        RewardRecipe recipe = new RewardRecipe(RewardMode.parse(reward), rmWeight, judgeWeight, rewardClip,
                judgeRewards());
        if (maxBatchDelayMs < 1) {
            throw new IllegalArgumentException("--max-batch-delay-ms must be at least 1, was " + maxBatchDelayMs);
        }
        ScorerConfig.Builder builder = ScorerConfig.builder(modelStore).topics(kafka.topics()).device(device)
                .applicationId(applicationId).reward(recipe).beta(beta)
                .batches(batchSize, Duration.ofMillis(maxBatchDelayMs));
        if (stateDir != null) {
            builder.stateDir(stateDir);
        }
        return builder.build();
    }

    private TruthfulnessReward judgeRewards() {
        String[] parts = judgeRewards.split(",");
        if (parts.length != 3) {
            throw new IllegalArgumentException("--judge-rewards '" + judgeRewards
                    + "' must be three numbers RIGHT,REFUSE,WRONG, e.g. --judge-rewards 1,0,-1");
        }
        try {
            return new TruthfulnessReward(Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim()),
                    Double.parseDouble(parts[2].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--judge-rewards '" + judgeRewards + "' holds a non-number: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--judge-rewards: " + e.getMessage(), e);
        }
    }
}
