package dev.flywheel.cli.generator;

import dev.flywheel.cli.kafka.KafkaOptions;
import dev.flywheel.cli.metrics.MetricsOptions;
import dev.flywheel.cli.progress.ProgressLine;
import dev.flywheel.core.device.TorchThreads;
import dev.flywheel.core.sampling.SamplingParams;
import dev.flywheel.generator.BatchReport;
import dev.flywheel.generator.Generator;
import dev.flywheel.generator.GeneratorConfig;
import dev.flywheel.generator.GeneratorListener;
import dev.flywheel.generator.backpressure.PauseReason;
import dev.flywheel.runtime.http.Health;
import dev.flywheel.runtime.http.ServiceEndpoint;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flywheel generator}: the generator service in the foreground. */
@Command(name = "generator", mixinStandardHelpOptions = true,
        description = {
            "Turns every prompt on fw.prompts into --samples-per-prompt rollouts on fw.rollouts, exactly once.",
            "Each batch is sampled with one policy version and committed with its prompt offsets in one Kafka",
            "transaction; rollouts carry per-token behaviour log-probs. Follows fw.policy-versions and hot-swaps",
            "verified versions between batches; pauses while the policy is too stale or the learner lags too far.",
            "Runs until Ctrl-C or --max-prompts."
        })
public final class GeneratorCommand implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Mixin KafkaOptions kafka;
    @Mixin MetricsOptions metrics = MetricsOptions.forComponent("generator");

    @Option(names = "--model-store", required = true, paramLabel = "DIR",
            description = "Model store holding policy-v0 and the published versions (from 'flywheel bootstrap --out DIR').")
    Path modelStore;

    @Option(names = "--device", paramLabel = "cpu|gpu", defaultValue = "cpu",
            description = "Where the policy runs: cpu, or gpu (a CUDA GPU visible to DJL) (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--instance-id", paramLabel = "ID", defaultValue = "0",
            description = "Stable name of this instance; its transactional id and group member id derive from it, so "
                    + "a restart fences a dead predecessor at once. Never run two live instances with one id (default: ${DEFAULT-VALUE}).")
    String instanceId;

    @Option(names = "--group", paramLabel = "G", defaultValue = "flywheel-generator",
            description = "Consumer group of the generators on the prompt topic (default: ${DEFAULT-VALUE}).")
    String group;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "16",
            description = "Most prompts per batch: one transaction, one policy version (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--max-batch-delay-ms", paramLabel = "MS", defaultValue = "50",
            description = "Longest a batch waits to fill up (default: ${DEFAULT-VALUE}).")
    long maxBatchDelayMs;

    @Option(names = "--samples-per-prompt", paramLabel = "N", defaultValue = "4",
            description = "Responses per prompt; 2 or more gives GRPO/RLOO groups and RM-ranked pairs (default: ${DEFAULT-VALUE}).")
    int samplesPerPrompt;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "1.0",
            description = "Softmax temperature, > 0 (default: ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "0", description = "Keep the K likeliest tokens; 0 keeps all (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--top-p", paramLabel = "P", defaultValue = "1.0", description = "Nucleus mass in (0, 1]; 1 keeps all (default: ${DEFAULT-VALUE}).")
    float topP;

    @Option(names = "--max-new-tokens", paramLabel = "N", defaultValue = "32",
            description = "Longest response in tokens; the model's context may cut it shorter (default: ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "Base seed; each prompt's samples are seeded from it and the prompt id, so a replay draws the same "
                    + "responses (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--max-staleness", paramLabel = "K", defaultValue = "4",
            description = "Stop taking prompts while the newest good published version is more than K ahead of the loaded "
                    + "one (default: ${DEFAULT-VALUE}).")
    int maxStaleness;

    @Option(names = "--max-downstream-lag", paramLabel = "N", defaultValue = "10000",
            description = "Pause prompts while the downstream group lags more than N records on the scored-rollout "
                    + "topic, resume below N/2; 0 turns it off (default: ${DEFAULT-VALUE}).")
    long maxDownstreamLag;

    @Option(names = "--downstream-group", paramLabel = "G", defaultValue = "flywheel-learner",
            description = "The consumer group whose lag is bounded: the learner's (default: ${DEFAULT-VALUE}).")
    String downstreamGroup;

    @Option(names = "--max-prompts", paramLabel = "N", defaultValue = "0",
            description = "Stop after N prompts; 0 runs until Ctrl-C (default: ${DEFAULT-VALUE}).")
    long maxPrompts;

    @Option(names = "--torch-threads", paramLabel = "N", defaultValue = "1",
            description = "libtorch intra-op threads; sampling's small products run fastest on one (default: ${DEFAULT-VALUE}).")
    int torchThreads;

    @Override
    public Integer call() {
        GeneratorConfig config = config();
        TorchThreads.set(torchThreads);
        PrintWriter out = spec.commandLine().getOut();
        Progress progress = new Progress(ProgressLine.onTerminal(out, "generator", maxPrompts, "prompts"));
        PrometheusMeterRegistry registry = metrics.registry();
        // The endpoint comes up first, so a busy port fails before the policy loads and /health says "starting".
        AtomicReference<Generator> running = new AtomicReference<>();
        ServiceEndpoint endpoint = metrics.start(registry, () -> health(running.get()));
        try {
            Generator generator = Generator.start(kafka.settings(), config, registry, progress);
            running.set(generator);
            return run(generator, config, out, progress);
        } finally {
            MetricsOptions.stop(endpoint, registry);
        }
    }

    private static Health health(Generator generator) {
        if (generator == null) {
            return Health.down("starting");
        }
        if (generator.termination().isDone()) {
            return Health.down(generator.failure().map(error -> "failed: " + error.getMessage()).orElse("stopped"));
        }
        return Health.up().with("policy_version", Long.toString(generator.policyVersion()));
    }

    private int run(Generator generator, GeneratorConfig config, PrintWriter out, Progress progress) {
        out.printf("generator %s: sampling with policy version %d; prompts from %s, rollouts to %s%n", instanceId,
                generator.policyVersion(), config.topics().prompts().name(), config.topics().rollouts().name());
        out.flush();
        Thread hook = new Thread(generator::close, "flywheel-generator-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            generator.termination().join();
        } finally {
            generator.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is already closing the generator.
            }
        }
        progress.finish(generator.policyVersion());
        return 0;
    }

    private GeneratorConfig config() {
        SamplingParams sampling;
        try {
            sampling = new SamplingParams(temperature, topK, topP, maxNewTokens, seed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--temperature/--top-k/--top-p/--max-new-tokens: " + e.getMessage(), e);
        }
        if (maxBatchDelayMs < 1) {
            throw new IllegalArgumentException("--max-batch-delay-ms must be at least 1, was " + maxBatchDelayMs);
        }
        if (torchThreads < 1) {
            throw new IllegalArgumentException("--torch-threads must be at least 1, was " + torchThreads);
        }
        return GeneratorConfig.builder(modelStore).topics(kafka.topics()).device(device).instanceId(instanceId)
                .consumerGroup(group).batches(batchSize, Duration.ofMillis(maxBatchDelayMs))
                .samplesPerPrompt(samplesPerPrompt).sampling(sampling).maxStaleness(maxStaleness)
                .maxDownstreamLag(maxDownstreamLag).downstreamGroup(downstreamGroup).maxPrompts(maxPrompts).build();
    }

    /** Turns generator events into the progress line and lines that stay (swaps, rejections, pauses). */
    private static final class Progress implements GeneratorListener {
        private final ProgressLine line;
        private final AtomicLong prompts = new AtomicLong();
        private final AtomicLong rollouts = new AtomicLong();
        private final AtomicLong deadLetters = new AtomicLong();
        private final AtomicLong swaps = new AtomicLong();
        private final Set<PauseReason> paused = ConcurrentHashMap.newKeySet();
        private volatile long version;

        Progress(ProgressLine line) {
            this.line = line;
        }

        @Override
        public void started(long policyVersion) {
            version = policyVersion;
        }

        @Override
        public synchronized void batchCommitted(BatchReport report) {
            version = report.policyVersion();
            prompts.addAndGet(report.prompts());
            rollouts.addAndGet(report.rollouts());
            deadLetters.addAndGet(report.deadLetters());
            line.update(prompts.get(), detail());
        }

        @Override
        public synchronized void swapped(long from, long to, Duration latency) {
            swaps.incrementAndGet();
            version = to;
            line.finish(String.format("swapped policy version %d -> %d (%d ms after it was published)", from, to,
                    latency.toMillis()));
        }

        @Override
        public synchronized void versionRejected(long rejected, String reason, String message) {
            line.finish("rejected policy version " + rejected + " (" + reason + "): " + message);
        }

        @Override
        public synchronized void paused(PauseReason reason, String detail) {
            paused.add(reason);
            line.finish("paused (" + reason.tag() + "): " + detail);
        }

        @Override
        public synchronized void resumed(PauseReason reason) {
            paused.remove(reason);
            line.finish("resumed (" + reason.tag() + " cleared)");
        }

        private String detail() {
            return rollouts.get() + " rollouts, policy v" + version + (deadLetters.get() > 0 ? ", " + deadLetters.get()
                    + " dead letters" : "") + (paused.isEmpty() ? "" : ", paused: " + paused);
        }

        synchronized void finish(long finalVersion) {
            line.finish(String.format("generated %d rollouts for %d prompts (%d dead-lettered), %d swap(s), policy "
                    + "version %d at the end", rollouts.get(), prompts.get(), deadLetters.get(), swaps.get(), finalVersion));
        }
    }
}
