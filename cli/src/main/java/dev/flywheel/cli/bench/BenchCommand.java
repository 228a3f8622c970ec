package dev.flywheel.cli.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code flywheel bench}: benchmarks that report figures (never pass/fail) on this machine. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {
            "Benchmarks that report figures, never pass/fail.",
            "Each prints its results and, with --json FILE, writes them as JSON. Sizes default to a 1-3 minute",
            "run on a 2-core machine; scripts/performance.sh runs them all and renders docs/performance.md."
        },
        subcommands = {
            PipelineBenchCommand.class,
            SwapBenchCommand.class,
            LatencyBenchCommand.class,
            SerdeBenchCommand.class,
            SampleBenchCommand.class
        })
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "Missing benchmark: try 'flywheel bench --help' (pipeline, swap, latency, serde, sample)");
    }
}
