package dev.flywheel.cli.bench;

import dev.flywheel.cli.demo.DemoDuration;
import dev.flywheel.cli.demo.DemoEvents;
import dev.flywheel.cli.demo.DemoPlan;
import dev.flywheel.cli.demo.DemoRun;
import dev.flywheel.cli.demo.DemoSettings;
import dev.flywheel.learner.Algorithm;
import dev.flywheel.scorer.reward.RewardMode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flywheel bench latency}: time from a prompt or feedback event to the first published version trained on it. */
@Command(name = "latency", mixinStandardHelpOptions = true,
        description = {
            "Runs the demo pipeline (embedded broker, simulated users, generator, scorer, feedback-ingest, learner,",
            "monitor) for --duration on a fresh data directory and reports, over every record in the lineage of",
            "the versions published, the time from the event that started it (the prompt of a scored rollout, the",
            "votes of a preference pair) to the first published version that holds it: p50/p95."
        })
public final class LatencyBenchCommand implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Mixin JsonOption json;

    @Option(names = "--duration", paramLabel = "TIME", defaultValue = "2m", converter = DemoDuration.class,
            description = "How long the pipeline runs: 2m, 90s or PT2M (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--algo", paramLabel = "ppo|grpo|dpo", defaultValue = "ppo",
            description = "What the learner trains (default: ${DEFAULT-VALUE}).")
    String algo;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seeds the traffic (default: ${DEFAULT-VALUE}).")
    long seed;

    private BenchReport figures(DemoRun.Outcome outcome) {
        Map<String, Object> figures = outcome.report().fields();
        BenchReport report = BenchReport.of("latency").put("algo", figures.get("algo"))
                .put("duration_s", figures.get("duration_s"))
                .put("versions_published", figures.get("versions_published"));
        if (figures.get("feedback_to_policy_latency_ms") instanceof Map<?, ?> latency) {
            report.put("feedback_to_policy_latency_ms", latency);
        } else {
            report.put("feedback_to_policy_latency_ms", "none: no version was published in " + duration);
        }
        return report.put("rollouts_per_s", figures.get("rollouts_per_s"));
    }

    @Override
    public Integer call() {
        Algorithm algorithm = Algorithm.parse(algo);
        PrintWriter out = spec.commandLine().getOut();
        Path dir = DemoRun.temporaryDataDir();
        try {
            out.printf("bench latency: the demo pipeline (%s) for %s …%n", algorithm.flag(), duration);
            out.flush();
            DemoPlan plan = new DemoPlan(algorithm, RewardMode.JUDGE, dir, 0, seed, DemoSettings.defaults());
            DemoRun.execute(plan, new DemoEvents() { }, duration, outcome -> json.emit(figures(outcome), out));
            return 0;
        } finally {
            DemoRun.delete(dir);
        }
    }

}
