package dev.flywheel.cli.learner;

import dev.flywheel.cli.kafka.KafkaOptions;
import dev.flywheel.cli.metrics.MetricsOptions;
import dev.flywheel.cli.progress.ProgressLine;
import dev.flywheel.core.device.TorchThreads;
import dev.flywheel.learner.Algorithm;
import dev.flywheel.learner.Learner;
import dev.flywheel.learner.LearnerConfig;
import dev.flywheel.learner.LearnerStatus;
import dev.flywheel.runtime.http.Health;
import dev.flywheel.runtime.http.ServiceEndpoint;
import dev.flywheel.schemas.PolicyVersion;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flywheel learner}: continuous PPO / GRPO / RLOO / DPO / IPO training or reward-model refresh. */
@Command(name = "learner", mixinStandardHelpOptions = true,
        description = {
            "Trains continuously on fw.scored-rollouts (ppo, grpo, rloo) or fw.preferences (dpo, ipo, rm) and",
            "publishes a guarded version to fw.policy-versions every --publish-every steps, with its lineage (the",
            "offsets it was trained on). Checkpoints hold weights, optimizer, KL controller, step and offsets; a",
            "restart resumes from the newest one, so every record is trained on exactly once. Runs until Ctrl-C",
            "or --max-steps. Flags may also come from --config FILE (key=value lines, keys are flag names",
            "without '--'); flags on the command line win."
        })
public final class LearnerCommand implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Mixin KafkaOptions kafka;
    @Mixin MetricsOptions metrics = MetricsOptions.forComponent("learner");
    @Mixin LearnerOptions options;

    @Option(names = "--algo", required = true, paramLabel = "ppo|grpo|rloo|dpo|ipo|rm",
            description = "What to train: ppo, grpo, rloo (on scored rollouts), dpo, ipo (on preference pairs), or rm "
                    + "(refresh the reward model on human pairs).")
    String algo;

    @Option(names = "--model-store", required = true, paramLabel = "DIR",
            description = "Model store holding policy-v0, reference and reward-model (from 'flywheel bootstrap --out DIR').")
    Path modelStore;

    @Option(names = "--device", paramLabel = "cpu|gpu", defaultValue = "cpu",
            description = "Where training runs: cpu, or gpu (a CUDA GPU visible to DJL) (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--group", paramLabel = "G", description = "Consumer group whose committed offsets show the "
            + "learner's lag; never used to position it (default: flywheel-learner, flywheel-learner-rm for rm).")
    String group;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file of flags, e.g. 'learning-rate=5e-5'.")
    Path configFile;

    @Option(names = "--torch-threads", paramLabel = "N", defaultValue = "1",
            description = "libtorch intra-op threads (default: ${DEFAULT-VALUE}).")
    int torchThreads;

    @Override
    public Integer call() {
        if (configFile != null) {
            return withConfigFile();
        }
        Algorithm algorithm = Algorithm.parse(algo);
        LearnerConfig config = options.config(algorithm, modelStore, device, group, kafka.topics());
        if (torchThreads < 1) {
            throw new IllegalArgumentException("--torch-threads must be at least 1, was " + torchThreads);
        }
        TorchThreads.set(torchThreads);
        PrintWriter out = spec.commandLine().getOut();
        PrometheusMeterRegistry registry = metrics.registry();
        AtomicReference<Learner> running = new AtomicReference<>();
        ServiceEndpoint endpoint = metrics.start(registry, () -> health(running.get()));
        ProgressLine line = ProgressLine.onTerminal(out, "learner " + algorithm.flag(), config.maxSteps(), "steps");
        try (Learner learner = Learner.start(kafka.settings(), config, registry, v -> published(line, v))) {
            running.set(learner);
            LearnerStatus s = learner.status();
            out.printf("learner %s: %s v%d at step %d; reading %s, publishing to %s%n", algorithm.flag(),
                    algorithm.modelName(), s.version(), s.steps(), algorithm.policyGradient()
                            ? config.topics().scoredRollouts().name() : config.topics().preferences().name(),
                    config.topics().policyVersions().name());
            out.flush();
            return run(learner, line);
        } finally {
            MetricsOptions.stop(endpoint, registry);
        }
    }

    private static int run(Learner learner, ProgressLine line) {
        Thread hook = new Thread(learner::close, "flywheel-learner-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            while (!awaitStopped(learner)) {
                LearnerStatus s = learner.status();
                line.update(s.steps(), String.format(Locale.ROOT, "v%d, %d examples, %d queued, reward %.3f, kl %.3f",
                        s.version(), s.examples(), s.queued(), s.rewardMean(), s.kl()));
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is already closing the learner.
            }
        }
        LearnerStatus s = learner.status();
        line.finish(String.format("learner stopped at v%d, step %d", s.version(), s.steps()));
        if (s.failure() != null) {
            throw new IllegalStateException("learner failed: " + s.failure());
        }
        return 0;
    }

    private static boolean awaitStopped(Learner learner) {
        try {
            return learner.awaitStopped(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private static void published(ProgressLine line, PolicyVersion v) {
        Double reward = v.getMetrics().get("reward.mean");
        Double kl = v.getMetrics().get("kl.mean");
        Double outWrong = v.getMetrics().get("eval.out.wrong");
        line.finish(String.format(Locale.ROOT, "published %s v%d at step %d: reward %s, kl %s%s", v.getModel(),
                v.getVersion(), v.getStep(), format(reward), format(kl),
                outWrong == null ? "" : ", out-of-knowledge wrong " + format(100 * outWrong) + "%"));
    }

    private static String format(Double d) {
        return d == null ? "-" : String.format(Locale.ROOT, "%.3f", d);
    }

    private static Health health(Learner learner) {
        if (learner == null) {
            return Health.down("starting");
        }
        LearnerStatus s = learner.status();
        if (!s.running()) {
            return Health.down(s.failure() == null ? "stopped" : "failed: " + s.failure());
        }
        return Health.up().with("version", Long.toString(s.version())).with("steps", Long.toString(s.steps()));
    }

    /** Re-parses the file's flags followed by the command line's (which win), then runs that. */
    private int withConfigFile() {
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(configFile)) {
            props.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("--config " + configFile + " cannot be read: " + e.getMessage(), e);
        }
        List<String> args = new ArrayList<>();
        for (String key : props.stringPropertyNames()) {
            if (key.equals("config")) {
                throw new IllegalArgumentException("--config " + configFile + " names another config file; put "
                        + "the flags themselves in it");
            }
            String value = props.getProperty(key).trim();
            args.add("--" + key);
            if (!value.isEmpty() && !value.equals("true")) {
                args.add(value);
            }
        }
        // The parse result holds the whole command line ("flywheel … learner …"): keep what follows "learner".
        List<String> all = spec.commandLine().getParseResult().originalArgs();
        List<String> original = new ArrayList<>(all.subList(all.indexOf(spec.name()) + 1, all.size()));
        int at = original.indexOf("--config");
        if (at >= 0) {
            original.subList(at, Math.min(original.size(), at + 2)).clear();
        } else {
            original.removeIf(a -> a.startsWith("--config="));
        }
        args.addAll(original);
        CommandLine again = new CommandLine(new LearnerCommand());
        again.setOverwrittenOptionsAllowed(true);
        again.setCaseInsensitiveEnumValuesAllowed(true);
        again.setOut(spec.commandLine().getOut());
        again.setErr(spec.commandLine().getErr());
        again.setExecutionExceptionHandler(spec.commandLine().getExecutionExceptionHandler());
        return again.execute(args.toArray(String[]::new));
    }
}
