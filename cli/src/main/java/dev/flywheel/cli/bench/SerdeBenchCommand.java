package dev.flywheel.cli.bench;

import dev.flywheel.cli.bench.serde.JmhProgress;
import dev.flywheel.cli.bench.serde.SampleRecords;
import dev.flywheel.cli.bench.serde.SerdeBenchmark;
import dev.flywheel.cli.progress.ProgressLine;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flywheel bench serde}: Avro single-object encode + decode records/s per message type, with JMH. */
@Command(name = "serde", mixinStandardHelpOptions = true,
        description = {
            "Avro single-object encode + decode records/s per message type (JMH).",
            "Runs a JMH benchmark of one Avro single-object encode followed by one decode, per message type, with a",
            "short explicit warm-up and measurement, and prints records/s with JMH's 99.9% error bound."
        })
public final class SerdeBenchCommand implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Mixin JsonOption json;

    @Option(names = "--types", split = ",", paramLabel = "TYPE[,TYPE…]",
            description = "Message types to measure (default: all: Prompt, Rollout, ScoredRollout, Feedback, "
                    + "PreferencePair, PolicyVersion, MetricPoint).")
    List<String> types = SampleRecords.TYPES;

    @Option(names = "--warmup-iterations", defaultValue = "3", paramLabel = "N",
            description = "JMH warm-up iterations per type (default: ${DEFAULT-VALUE}).")
    int warmupIterations;

    @Option(names = "--iterations", defaultValue = "10", paramLabel = "N",
            description = "JMH measurement iterations per type (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--iteration-ms", defaultValue = "1000", paramLabel = "MS",
            description = "Length of each warm-up and measurement iteration (default: ${DEFAULT-VALUE}).")
    long iterationMs;

    @Option(names = "--forks", defaultValue = "1", paramLabel = "N",
            description = "JVMs forked per type; 0 measures in this JVM, quicker but less isolated "
                    + "(default: ${DEFAULT-VALUE}).")
    int forks;

    @Override
    public Integer call() throws RunnerException {
        for (String type : types) {
            if (!SampleRecords.TYPES.contains(type)) {
                throw new IllegalArgumentException("--types: unknown message type '" + type + "'; choose from "
                        + String.join(", ", SampleRecords.TYPES));
            }
        }
        require(warmupIterations >= 0, "--warmup-iterations must be 0 or more, got " + warmupIterations);
        require(iterations >= 1, "--iterations must be at least 1, got " + iterations);
        require(iterationMs >= 10, "--iteration-ms must be at least 10, got " + iterationMs);
        require(forks >= 0, "--forks must be 0 or more, got " + forks);
        Options options = new OptionsBuilder()
                .include(SerdeBenchmark.class.getName() + ".encodeDecode")
                .param("type", types.toArray(String[]::new))
                .warmupIterations(warmupIterations).warmupTime(TimeValue.milliseconds(iterationMs))
                .measurementIterations(iterations).measurementTime(TimeValue.milliseconds(iterationMs))
                .forks(forks).threads(1).shouldFailOnError(true)
                .build();
        PrintWriter out = spec.commandLine().getOut();
        ProgressLine line = ProgressLine.onTerminal(out, "JMH encode+decode", types.size(), "types");
        Collection<RunResult> results = new Runner(options, new JmhProgress(line)).run();
        line.finish(String.format(Locale.ROOT, "JMH: %d message types, %d x %d ms warm-up, %d x %d ms measured, "
                + "%d fork(s)", types.size(), warmupIterations, iterationMs, iterations, iterationMs, forks));
        json.emit(report(results), out);
        return 0;
    }

    private BenchReport report(Collection<RunResult> results) {
        BenchReport report = BenchReport.of("serde");
        report.put("measures", "records/s of one Avro single-object encode followed by one decode (AvroSerdes, "
                + "the services' serdes) of a record sized like the default task's traffic; JMH throughput mode, "
                + "error = 99.9% confidence half-width.");
        Map<String, Object> settings = report.section("settings");
        settings.put("warmup_iterations", warmupIterations);
        settings.put("iterations", iterations);
        settings.put("iteration_ms", iterationMs);
        settings.put("forks", forks);
        Map<String, Object> byType = report.section("records_per_s");
        List<RunResult> ordered = new ArrayList<>(results);
        ordered.sort(Comparator.comparingInt(r -> SampleRecords.TYPES.indexOf(r.getParams().getParam("type"))));
        for (RunResult run : ordered) {
            String type = run.getParams().getParam("type");
            Result<?> primary = run.getPrimaryResult();
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("score", BenchReport.round(primary.getScore(), 0));
            double error = primary.getScoreError();
            figures.put("error", Double.isFinite(error) ? BenchReport.round(error, 0) : null);
            figures.put("encoded_bytes", SampleRecords.encodedSize(type));
            byType.put(type, figures);
        }
        return report;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
