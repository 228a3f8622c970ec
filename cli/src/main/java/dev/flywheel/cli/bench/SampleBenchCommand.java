package dev.flywheel.cli.bench;

import dev.flywheel.cli.progress.ProgressLine;
import dev.flywheel.core.sampling.SamplingBenchmark;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flywheel bench sample}: generation tokens/s with and without the KV cache. */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = {
            "Samples batches of prompts with the default model shape (random weights: speed does not depend on",
            "them), once with the KV cache and once recomputing every position, and prints tokens/s of each."
        })
public final class SampleBenchCommand implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Mixin JsonOption json;

    @Option(names = "--batch", defaultValue = "16", paramLabel = "N",
            description = "Prompts per sampling call (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--prompt-tokens", defaultValue = "16", paramLabel = "N",
            description = "Tokens per prompt, BOS included (default: ${DEFAULT-VALUE}).")
    int promptTokens;

    @Option(names = "--new-tokens", defaultValue = "64", paramLabel = "N",
            description = "Tokens generated per prompt (default: ${DEFAULT-VALUE}).")
    int newTokens;

    @Option(names = "--rounds", defaultValue = "30", paramLabel = "N",
            description = "Timed sampling calls per mode, after one untimed warm-up (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
            description = "libtorch intra-op threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public Integer call() {
        require(batch >= 1, "--batch must be at least 1, got " + batch);
        require(promptTokens >= 1, "--prompt-tokens must be at least 1 (the BOS token), got " + promptTokens);
        require(newTokens >= 1, "--new-tokens must be at least 1, got " + newTokens);
        require(rounds >= 1, "--rounds must be at least 1, got " + rounds);
        require(threads >= 1, "--threads must be at least 1, got " + threads);
        SamplingBenchmark.Options d = SamplingBenchmark.Options.defaults();
        require(promptTokens + newTokens <= d.config().context(), "--prompt-tokens + --new-tokens must fit the "
                + "model's context of " + d.config().context() + " tokens, got " + (promptTokens + newTokens));
        SamplingBenchmark.Options options = new SamplingBenchmark.Options(d.config(), batch, promptTokens, newTokens,
                rounds, threads);
        PrintWriter out = spec.commandLine().getOut();
        ProgressLine line = ProgressLine.onTerminal(out, "sampling with and without the KV cache", 0, "calls");
        line.show("sampling " + 2 * (rounds + 1) + " batches with and without the KV cache …");
        List<SamplingBenchmark.Result> results = SamplingBenchmark.run(options);
        results.forEach(r -> line.finish(r.toString()));
        json.emit(report(options, results), out);
        return 0;
    }

    private static BenchReport report(SamplingBenchmark.Options o, List<SamplingBenchmark.Result> results) {
        BenchReport report = BenchReport.of("sample");
        Map<String, Object> model = report.section("settings");
        model.put("d_model", o.config().dModel());
        model.put("layers", o.config().layers());
        model.put("heads", o.config().heads());
        model.put("context", o.config().context());
        model.put("batch", o.batch());
        model.put("prompt_tokens", o.promptTokens());
        model.put("new_tokens", o.newTokens());
        model.put("rounds", o.rounds());
        model.put("threads", o.threads());
        double cached = Double.NaN;
        double uncached = Double.NaN;
        for (SamplingBenchmark.Result r : results) {
            Map<String, Object> mode = report.section(r.kvCache() ? "with_kv_cache" : "without_kv_cache");
            mode.put("tokens", r.tokens());
            mode.put("seconds", BenchReport.round(r.seconds(), 3));
            mode.put("tokens_per_s", BenchReport.round(r.tokensPerSecond(), 1));
            if (r.kvCache()) {
                cached = r.tokensPerSecond();
            } else {
                uncached = r.tokensPerSecond();
            }
        }
        report.put("kv_cache_speedup", BenchReport.round(cached / uncached, 2));
        return report;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

}
