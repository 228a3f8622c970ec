package dev.flywheel.cli.bench;

import dev.flywheel.cli.bench.pipeline.InMemoryRun;
import dev.flywheel.cli.bench.pipeline.KafkaRun;
import dev.flywheel.cli.bench.pipeline.PipelineSettings;
import dev.flywheel.cli.bench.pipeline.ScoredStream;
import dev.flywheel.cli.bench.pipeline.Throughput;
import dev.flywheel.cli.progress.ProgressLine;
import dev.flywheel.core.bootstrap.ShippedModels;
import dev.flywheel.core.store.ModelStore;
import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.runtime.embedded.EmbeddedKafka;
import dev.flywheel.runtime.topics.Topics;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flywheel bench pipeline}: the learner's throughput fed in memory versus fed through Kafka. */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = {
            "Learner throughput fed in memory versus through Kafka, and their ratio.",
            "Trains the same number of GRPO steps on the same stream of scored rollouts twice: (a) in one process,",
            "a producer thread decoding each record with the learner's feed into a BlockingQueue and a trainer",
            "thread taking batches; (b) through Kafka, the records on fw.scored-rollouts of an embedded broker",
            "and the learner service consuming them. Prints both throughputs and their ratio (b)/(a)."
        })
public final class PipelineBenchCommand implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Mixin JsonOption json;

    @Option(names = "--batch-size", defaultValue = "32", paramLabel = "N",
            description = "Scored rollouts per batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--steps", defaultValue = "200", paramLabel = "N",
            description = "Optimizer steps per side; GRPO takes 2 per batch (default: ${DEFAULT-VALUE}).")
    long steps;

    @Option(names = "--group-size", defaultValue = "4", paramLabel = "N",
            description = "Samples per prompt in the stream (default: ${DEFAULT-VALUE}).")
    int groupSize;

    @Option(names = "--max-new-tokens", defaultValue = "32", paramLabel = "N",
            description = "Longest sampled response, as the generator's default (default: ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(names = "--seed", defaultValue = "11", paramLabel = "S",
            description = "Seed of the prompts and the sampling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--rounds", defaultValue = "5", paramLabel = "N",
            description = "Times each side runs, alternating (a) and (b); the medians are compared "
                    + "(default: ${DEFAULT-VALUE}).")
    int rounds;

    @Override
    public Integer call() throws InterruptedException {
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1, got " + rounds);
        }
        PipelineSettings settings = new PipelineSettings(batchSize, steps, groupSize, maxNewTokens, seed);
        PrintWriter out = spec.commandLine().getOut();
        Topics topics = Topics.defaults();
        try (Scratch scratch = Scratch.create("pipeline")) {
            ModelStore store = ShippedModels.install(scratch.resolve("models"));
            ProgressLine line = ProgressLine.onTerminal(out, "sampling and scoring the stream", settings.groups(),
                    "groups");
            ScoredStream stream = ScoredStream.sample(store, topics.scoredRollouts().name(), settings.groups(),
                    groupSize, maxNewTokens, seed, g -> line.update(g, null));
            line.finish(String.format(Locale.ROOT, "stream: %d scored rollouts (%d prompts x %d samples) from "
                    + "policy-v0, judge rewards, reference log-probs", stream.size(), settings.groups(), groupSize));

            InMemoryRun inMemory = InMemoryRun.over(store, stream, batchSize);
            inMemory.warmUp();
            List<Throughput> memory = new ArrayList<>();
            List<Throughput> kafka = new ArrayList<>();
            try (EmbeddedKafka broker = EmbeddedKafka.builder().build().start()) {
                KafkaRun run = KafkaRun.on(KafkaSettings.of(broker.bootstrapServers()), topics, store.directory());
                run.produce(stream);
                // Alternating the sides spreads drift in machine load and warm-up evenly over both.
                for (int r = 1; r <= rounds; r++) {
                    String round = rounds > 1 ? " round " + r + "/" + rounds : "";
                    ProgressLine a = ProgressLine.onTerminal(out, "(a) in memory" + round, steps, "steps");
                    memory.add(inMemory.run(steps, done -> a.update(done, null)));
                    a.finish(summary("(a) in memory" + round, memory.get(memory.size() - 1)));
                    ProgressLine b = ProgressLine.onTerminal(out, "(b) through Kafka" + round, steps, "steps");
                    kafka.add(run.run(settings, "flywheel-bench-learner-" + r, done -> b.update(done, null)));
                    b.finish(summary("(b) through Kafka" + round, kafka.get(kafka.size() - 1)));
                }
            }
            json.emit(report(settings, stream, memory, kafka), out);
        }
        return 0;
    }

    /** One figure of every round, in round order. */
    private static List<Double> each(List<Throughput> rounds, ToDoubleFunction<Throughput> figure) {
        return rounds.stream().map(t -> BenchReport.round(figure.applyAsDouble(t), 3)).toList();
    }

    private static double fastest(List<Throughput> rounds) {
        return rounds.stream().mapToDouble(Throughput::seconds).min().orElseThrow();
    }

    private static String summary(String side, Throughput t) {
        return String.format(Locale.ROOT, "%s: %d steps, %d examples in %.2f s = %.1f examples/s, %.2f steps/s "
                        + "(%.2f s training, %.2f s reading and waiting)", side, t.steps(), t.examples(), t.seconds(),
                t.examplesPerSecond(), t.stepsPerSecond(), t.trainSeconds(), t.otherSeconds());
    }

    private BenchReport report(PipelineSettings settings, ScoredStream stream, List<Throughput> memoryRounds,
                               List<Throughput> kafkaRounds) {
        Throughput memory = Throughput.median(memoryRounds);
        Throughput kafka = Throughput.median(kafkaRounds);
        BenchReport report = BenchReport.of("pipeline");
        report.put("compares", "GRPO training on policy-v0, same stream, batch size and steps: (a) records decoded "
                + "by the learner's feed on a producer thread into a BlockingQueue, batches taken by the trainer "
                + "thread; (b) records read from fw.scored-rollouts of an embedded broker by the learner service "
                + "(consumer, offset ledger, metrics; no version published in the window). Time: first record read "
                + "to last step, of which train_seconds inside the trainer's batch steps; each side's figures are its "
                + "median round; ratio_best_rounds compares the fastest rounds.");
        Map<String, Object> shape = report.section("settings");
        shape.put("batch_size", settings.batchSize());
        shape.put("steps", settings.steps());
        shape.put("group_size", settings.groupSize());
        shape.put("max_new_tokens", settings.maxNewTokens());
        shape.put("records", stream.size());
        shape.put("rounds", rounds);
        report.put("in_memory", memory.asMap());
        report.put("kafka", kafka.asMap());
        report.put("in_memory_rounds_s", each(memoryRounds, Throughput::seconds));
        report.put("kafka_rounds_s", each(kafkaRounds, Throughput::seconds));
        // Where a side lost its time: a Kafka side that trains as fast but reads slower pays for the pipeline; one
        // whose batches themselves take longer loses to whatever else shares the cores with the trainer.
        report.put("in_memory_rounds_train_s", each(memoryRounds, Throughput::trainSeconds));
        report.put("kafka_rounds_train_s", each(kafkaRounds, Throughput::trainSeconds));
        report.put("ratio_kafka_to_in_memory", BenchReport.round(kafka.stepsPerSecond() / memory.stepsPerSecond(), 3));
        // The fastest round of each side is the one least disturbed by other work on the machine.
        report.put("ratio_best_rounds", BenchReport.round(fastest(memoryRounds) / fastest(kafkaRounds), 3));
        report.put("goal_ratio", 0.95);
        return report;
    }
}
