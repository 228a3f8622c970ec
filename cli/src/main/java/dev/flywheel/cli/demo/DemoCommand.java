package dev.flywheel.cli.demo;

import dev.flywheel.learner.Algorithm;
import dev.flywheel.scorer.reward.RewardMode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flywheel demo}: the whole loop in one JVM, a live table of published versions, and a report. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {
            "Runs the whole loop in one JVM: an embedded Kafka broker, the topics, the",
            "shipped bootstrap models, simulated users, generator, scorer,",
            "feedback-ingest, learner and monitor, talking only through Kafka.",
            "Prints the dashboard URL and one row per published policy version",
            "(reward, KL, right/refuse/wrong on in- and out-of-knowledge questions,",
            "rollouts/s, each service's lag); at the end (--duration or Ctrl-C) a",
            "summary comparing the SFT policy with the last version. A second run",
            "with the same --data-dir resumes from the learner's checkpoint."
        })
public final class DemoCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--algo", paramLabel = "ppo|grpo|dpo", defaultValue = "ppo",
            description = "What the learner trains: ppo, grpo (or rloo) on scored rollouts, dpo (or ipo) on preference "
                    + "pairs from simulated pairwise feedback and RM-ranked samples (default: ${DEFAULT-VALUE}).")
    String algo;

    @Option(names = "--duration", paramLabel = "TIME", defaultValue = "8m", converter = DemoDuration.class,
            description = "How long to run: 8m, 90s, 1h or PT8M (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--report", paramLabel = "FILE", description = "Write the run's report as JSON to FILE.")
    Path report;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Keep broker data, models and checkpoints in DIR; "
            + "a later run with the same DIR resumes. Without it a temporary folder is used and deleted at the end.")
    Path dataDir;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
            description = "Dashboard port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seeds the simulated users' questions and ratings and the generator's sampling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--reward", paramLabel = "judge|rm|rm+judge", defaultValue = "judge",
            description = "The scorer's reward: judge (the task's truthfulness reward: right +1, refuse 0, wrong -1), "
                    + "rm (the reward model), or rm+judge (default: ${DEFAULT-VALUE}).")
    String reward;

    @Option(names = "--prompt-rate", paramLabel = "N",
            description = "Simulated users' prompts per second, each answered 4 times by the generator "
                    + "(default: 16).")
    Double promptRate;

    private final DemoSettings settings;

    /** The demo with its default settings. */
    public DemoCommand() {
        this(DemoSettings.defaults());
    }

    /** The demo with other settings (the end-to-end test's quick ones). */
    public DemoCommand(DemoSettings settings) {
        this.settings = settings;
    }

    @Override
    public Integer call() {
        DemoPlan checked = plan(dataDir != null ? dataDir : Path.of("."));
        DemoPlan plan = dataDir != null ? checked : checked.withDataDir(DemoRun.temporaryDataDir());
        PrintWriter out = spec.commandLine().getOut();
        LiveTable table = new LiveTable(out, List.of(DemoPipeline.GENERATOR_GROUP, DemoPipeline.SCORER_GROUP,
                "fw.feedback-ingest", DemoPipeline.LEARNER_GROUP), List.of("generator", "scorer", "ingest", "learner"));
        out.printf("flywheel demo: %s for %s, reward %s, data in %s%n", plan.algorithm().flag(), duration,
                plan.reward().option(), dataDir != null ? dataDir.toAbsolutePath() : "a temporary folder");
        out.flush();
        try {
            DemoRun.Outcome outcome = DemoRun.execute(plan, table, duration, done -> {
                table.note(done.report().summary());
                if (report != null) {
                    done.report().write(report);
                    table.note("report written to " + report);
                }
                if (dataDir == null) {
                    DemoRun.delete(plan.dataDir());
                }
            });
            if (outcome.learnerFailure() != null) {
                throw new IllegalStateException("the learner failed: " + outcome.learnerFailure());
            }
            return 0;
        } finally {
            if (dataDir == null) {
                DemoRun.delete(plan.dataDir());
            }
        }
    }

    private DemoPlan plan(Path dir) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--port " + port + " is out of range: use 1-65535, or 0 for a free port");
        }
        if (promptRate != null && !(promptRate > 0 && promptRate <= 1_000)) {
            throw new IllegalArgumentException("--prompt-rate " + promptRate + " is out of range: use a rate in (0, 1000] "
                    + "prompts per second, e.g. --prompt-rate 24");
        }
        DemoSettings chosen = promptRate == null ? settings : settings.withPromptRate(promptRate);
        return new DemoPlan(Algorithm.parse(algo), RewardMode.parse(reward), dir, port, seed, chosen);
    }
}
