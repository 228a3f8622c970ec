package dev.flywheel.cli.bench.serde;

import dev.flywheel.cli.progress.ProgressLine;
import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormat;

/** Shows JMH's progress on a {@link ProgressLine} instead of JMH's own log: one unit per message type measured. */
public final class JmhProgress implements OutputFormat {
    private final ProgressLine line;
    private long done;
    private String current = "";

    /** Progress drawn on {@code line}. */
    public JmhProgress(ProgressLine line) {
        this.line = line;
    }

    @Override
    public void iteration(BenchmarkParams benchParams, IterationParams params, int iteration) {
        line.update(done, current + " " + params.getType().toString().toLowerCase(Locale.ROOT) + " " + iteration);
    }

    @Override
    public void iterationResult(BenchmarkParams benchParams, IterationParams params, int iteration,
                                IterationResult data) {
        line.update(done, String.format(Locale.ROOT, "%s: %,.0f records/s", current,
                data.getPrimaryResult().getScore()));
    }

    @Override
    public void startBenchmark(BenchmarkParams benchParams) {
        current = benchParams.getParam("type");
        line.update(done, current);
    }

    @Override
    public void endBenchmark(BenchmarkResult result) {
        done++;
    }

    @Override
    public void startRun() {
    }

    @Override
    public void endRun(Collection<RunResult> result) {
    }

    @Override
    public void print(String s) {
    }

    @Override
    public void println(String s) {
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    @Override
    public void verbosePrintln(String s) {
    }

    @Override
    public void write(int b) {
    }

    @Override
    public void write(byte[] b) {
    }
}
