package dev.flywheel.core.sampling;

import ai.djl.Device;
import dev.flywheel.core.device.TorchThreads;
import dev.flywheel.core.model.ModelConfig;
import dev.flywheel.core.model.TransformerModel;
import dev.flywheel.core.tokenizer.CharTokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Measures generation throughput (tokens/s) with and without the KV cache on the default model shape; the CLI's
 * {@code bench} command calls {@link #run}. A benchmark, not a test: numbers depend on the machine.
 */
public final class SamplingBenchmark {

    /**
     * One measurement.
     *
     * @param kvCache whether the KV cache was used
     * @param threads torch intra-op threads
     * @param tokens  tokens generated over all timed rounds
     * @param seconds wall time of the timed rounds
     */
    public record Result(boolean kvCache, int threads, long tokens, double seconds) {

        /** Generated tokens per second. */
        public double tokensPerSecond() {
            return tokens / seconds;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-14s threads=%d  %7d tokens in %6.2f s  = %8.1f tokens/s",
                    kvCache ? "with KV cache" : "without cache", threads, tokens, seconds, tokensPerSecond());
        }
    }

    /**
     * What to measure.
     *
     * @param config       model shape (weights are random: speed does not depend on them)
     * @param batch        prompts per sampling call
     * @param promptTokens tokens per prompt (including BOS)
     * @param newTokens    tokens generated per prompt
     * @param rounds       timed sampling calls per mode (after one untimed warm-up)
     * @param threads      torch intra-op threads
     */
    public record Options(ModelConfig config, int batch, int promptTokens, int newTokens, int rounds, int threads) {

        /** d=128, 2 layers, context 96, batch 16, 16-token prompts, 64 new tokens, 10 rounds, 1 thread. */
        public static Options defaults() {
            return new Options(ModelConfig.defaults(TOKENIZER.vocabSize()), 16, 16, 64, 10, 1);
        }
    }

    private static final CharTokenizer TOKENIZER = CharTokenizer.of("0123456789abcdefghijklmnopqrstuvwxyz +-=?.");

    private SamplingBenchmark() {
    }

    /** Runs both modes; EOS is masked out of the measurement by counting only tokens actually generated. */
    public static List<Result> run(Options o) {
        int before = TorchThreads.current();
        TorchThreads.set(o.threads());
        try (TransformerModel model = TransformerModel.create(o.config(), TOKENIZER, 0L, Device.cpu())) {
            List<int[]> prompts = prompts(o.batch(), o.promptTokens());
            List<Result> out = new ArrayList<>();
            for (boolean cache : new boolean[] {true, false}) {
                model.sample(prompts, params(o, -1), cache);
                long tokens = 0;
                long start = System.nanoTime();
                for (int r = 0; r < o.rounds(); r++) {
                    for (Sample s : model.sample(prompts, params(o, r), cache)) {
                        tokens += s.tokens().length;
                    }
                }
                out.add(new Result(cache, o.threads(), tokens, (System.nanoTime() - start) / 1e9));
            }
            return out;
        } finally {
            TorchThreads.set(before);
        }
    }

    private static SamplingParams params(Options o, long seed) {
        return new SamplingParams(1f, 0, 1f, o.newTokens(), seed);
    }

    private static List<int[]> prompts(int batch, int length) {
        SplittableRandom rng = new SplittableRandom(7);
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            int[] p = new int[length];
            p[0] = TOKENIZER.bosId();
            for (int j = 1; j < length; j++) {
                p[j] = 4 + rng.nextInt(TOKENIZER.vocabSize() - 4);
            }
            out.add(p);
        }
        return out;
    }

    /** {@code SamplingBenchmark [threads]}: prints tokens/s with and without the KV cache. */
    public static void main(String[] args) {
        Options d = Options.defaults();
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : d.threads();
        Options o = new Options(d.config(), d.batch(), d.promptTokens(), d.newTokens(), d.rounds(), threads);
        System.out.printf(Locale.ROOT, "model d=%d layers=%d heads=%d context=%d; batch %d, prompt %d, new %d%n",
                o.config().dModel(), o.config().layers(), o.config().heads(), o.config().context(), o.batch(),
                o.promptTokens(), o.newTokens());
        List<Result> results = run(o);
        results.forEach(System.out::println);
        System.out.printf(Locale.ROOT, "speed-up from the KV cache: %.2fx%n",
                results.get(0).tokensPerSecond() / results.get(1).tokensPerSecond());
    }
}
