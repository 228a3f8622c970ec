package dev.flywheel.cli.bench;

import dev.flywheel.cli.bench.swap.FreshVersions;
import dev.flywheel.cli.bench.swap.PromptTraffic;
import dev.flywheel.cli.bench.swap.SwapClock;
import dev.flywheel.cli.progress.ProgressLine;
import dev.flywheel.core.sampling.SamplingParams;
import dev.flywheel.core.bootstrap.ShippedModels;
import dev.flywheel.core.store.ModelStore;
import dev.flywheel.generator.Generator;
import dev.flywheel.generator.GeneratorConfig;
import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.runtime.embedded.EmbeddedKafka;
import dev.flywheel.runtime.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flywheel bench swap}: time from publishing a policy version to the generator sampling with it. */
@Command(name = "swap", mixinStandardHelpOptions = true,
        description = {
            "Latency from publishing a policy version to the generator sampling with it, p50/p95.",
            "Runs a generator on an embedded broker with prompts flowing, publishes --versions policy versions",
            "one after another (fresh weights saved to the model store first, as the learner does) and reports",
            "the latency from each publish to the generator's swap to it, p50/p95."
        })
public final class SwapBenchCommand implements Callable<Integer> {
    private static final Duration SWAP_TIMEOUT = Duration.ofMinutes(2);

    @Spec CommandSpec spec;
    @Mixin JsonOption json;

    @Option(names = "--versions", defaultValue = "30", paramLabel = "K",
            description = "Policy versions to publish (default: ${DEFAULT-VALUE}).")
    int versions;

    @Option(names = "--prompt-rate", defaultValue = "5", paramLabel = "PER_S",
            description = "Prompts sent per second while versions are published; the simulated users' default "
                    + "load (default: ${DEFAULT-VALUE}).")
    double promptRate;

    @Option(names = "--gap-ms", defaultValue = "1000", paramLabel = "MS",
            description = "Mean pause after each swap before the next publish, drawn uniformly from half to one and "
                    + "a half times it (default: ${DEFAULT-VALUE}).")
    long gapMs;

    @Option(names = "--samples-per-prompt", defaultValue = "4", paramLabel = "N",
            description = "Generator responses per prompt (default: ${DEFAULT-VALUE}).")
    int samplesPerPrompt;

    @Option(names = "--max-new-tokens", defaultValue = "32", paramLabel = "N",
            description = "Longest sampled response (default: ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Override
    public Integer call() throws InterruptedException {
        if (versions < 1) {
            throw new IllegalArgumentException("--versions must be at least 1, got " + versions);
        }
        if (gapMs < 0) {
            throw new IllegalArgumentException("--gap-ms must be 0 or more, got " + gapMs);
        }
        PrintWriter out = spec.commandLine().getOut();
        Topics topics = Topics.defaults();
        SwapClock clock = new SwapClock();
        List<Double> publishToSwap = new ArrayList<>();
        List<Double> readToSwap = new ArrayList<>();
        try (Scratch scratch = Scratch.create("swap");
             EmbeddedKafka broker = EmbeddedKafka.builder().build().start()) {
            KafkaSettings kafka = KafkaSettings.of(broker.bootstrapServers());
            try (Admin admin = Admin.create(kafka.adminProperties())) {
                topics.createAll(admin);
            }
            ModelStore store = ShippedModels.install(scratch.resolve("models"));
            GeneratorConfig config = GeneratorConfig.builder(store.directory()).topics(topics)
                    .samplesPerPrompt(samplesPerPrompt).sampling(SamplingParams.of(maxNewTokens, 7L))
                    .maxDownstreamLag(0).build();
            try (FreshVersions fresh = FreshVersions.prepare(store, versions, kafka, topics.policyVersions().name());
                 Generator generator = Generator.start(kafka, config, new SimpleMeterRegistry(), clock);
                 PromptTraffic traffic = PromptTraffic.start(kafka, topics.prompts().name(), promptRate, 11)) {
                clock.awaitBatches(2, SWAP_TIMEOUT);
                ProgressLine line = ProgressLine.onTerminal(out, "publishing versions", versions, "versions");
                // A random pause puts each publish at a random point between two prompt arrivals: a fixed pause
                // would lock the publishes to one phase of the steady traffic and bias every latency alike.
                SplittableRandom pauses = new SplittableRandom(versions);
                for (long v = 1; v <= versions; v++) {
                    long sent = fresh.publish(v);
                    SwapClock.Swap swap = clock.awaitSwap(v, SWAP_TIMEOUT);
                    publishToSwap.add((swap.atNanos() - sent) / 1e6);
                    readToSwap.add(swap.afterRead().toNanos() / 1e6);
                    line.update(v, String.format(Locale.ROOT, "v%d swapped %.0f ms after publish", v,
                            publishToSwap.get(publishToSwap.size() - 1)));
                    TimeUnit.MILLISECONDS.sleep(gapMs / 2 + (gapMs > 0 ? pauses.nextLong(gapMs + 1) : 0));
                }
                line.finish(String.format(Locale.ROOT, "%d versions published and swapped in; %d batches sampled",
                        versions, clock.batches()));
            }
        }
        json.emit(report(publishToSwap, readToSwap), out);
        return 0;
    }

    private BenchReport report(List<Double> publishToSwap, List<Double> readToSwap) {
        BenchReport report = BenchReport.of("swap");
        report.put("measures", "publish_to_swap_ms: from just before the PolicyVersion record is sent to the moment "
                + "the generator's sampling thread swaps to that version (between batches, after the loader thread "
                + "verified the blob's sha256 and loaded it); read_to_swap_ms: the generator's own part, from "
                + "reading the record off fw.policy-versions to the swap.");
        Map<String, Object> settings = report.section("settings");
        settings.put("versions", versions);
        settings.put("prompt_rate_per_s", promptRate);
        settings.put("mean_gap_ms", gapMs);
        settings.put("samples_per_prompt", samplesPerPrompt);
        settings.put("max_new_tokens", maxNewTokens);
        report.put("publish_to_swap_ms", LatencySummary.ofMillis(publishToSwap).asMap());
        report.put("read_to_swap_ms", LatencySummary.ofMillis(readToSwap).asMap());
        return report;
    }
}
