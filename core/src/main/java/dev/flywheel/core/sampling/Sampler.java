package dev.flywheel.core.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.flywheel.core.device.GradMode;
import dev.flywheel.core.model.KvCache;
import dev.flywheel.core.model.TokenBatch;
import dev.flywheel.core.model.TransformerModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Batched autoregressive generation from a {@link TransformerModel}, with or without a KV cache.
 *
 * <p>With the cache each new token costs one single-position pass over the cached keys and values (linear in
 * length); without it every step re-runs the whole prefix (quadratic). Both draw the same tokens for the same seed;
 * the uncached mode exists for that equivalence check and for the benchmark.
 */
public final class Sampler {

    private final TransformerModel model;
    private final boolean useKvCache;

    private Sampler(TransformerModel model, boolean useKvCache) {
        this.model = model;
        this.useKvCache = useKvCache;
    }

    /** A sampler that keeps a KV cache (the default). */
    public static Sampler withKvCache(TransformerModel model) {
        return new Sampler(model, true);
    }

    /** A sampler that recomputes the whole prefix for every token. */
    public static Sampler withoutKvCache(TransformerModel model) {
        return new Sampler(model, false);
    }

    /** One response per prompt; see {@link Sample} for what the log-probs are. */
    public List<Sample> sample(List<int[]> prompts, SamplingParams params) {
        if (prompts.isEmpty()) {
            return List.of();
        }
        return GradMode.disabledDuring(() -> generate(prompts, params));
    }

    private List<Sample> generate(List<int[]> prompts, SamplingParams params) {
        TokenBatch batch = TokenBatch.leftPadded(prompts, model.tokenizer().padId(), model.context())
                .requireIdsBelow(model.config().vocabSize());
        int promptColumns = batch.length();
        int room = model.context() - promptColumns;
        if (room < 1) {
            throw new IllegalArgumentException("the longest prompt has " + promptColumns + " tokens, which fills the "
                    + "model's context of " + model.context() + "; shorten the prompt to leave room for a response");
        }
        int steps = Math.min(params.maxNewTokens(), room);
        Generation gen = new Generation(batch.size(), params);
        int vocab = model.config().vocabSize();
        int[] pads = batch.padCounts();
        try (NDManager scope = model.newScope()) {
            KvCache cache = useKvCache ? new KvCache(model.config().layers()) : null;
            float[] logProbs;
            try (NDManager step = scope.newSubManager()) {
                logProbs = nextLogProbs(step, batch.tokens(step), batch.positions(step), batch.attentionBias(step),
                        cache, params.temperature());
                keep(cache, scope);
            }
            for (int t = 0; t < steps; t++) {
                int[] chosen = gen.choose(logProbs, vocab, model.tokenizer().eosId(), model.tokenizer().padId());
                if (gen.allDone() || t == steps - 1) {
                    break;
                }
                try (NDManager step = scope.newSubManager()) {
                    int column = promptColumns + t;
                    if (useKvCache) {
                        long[] ids = Arrays.stream(chosen).asLongStream().toArray();
                        logProbs = nextLogProbs(step, step.create(ids, new Shape(ids.length, 1)),
                                TokenBatch.positions(step, pads, column, 1),
                                TokenBatch.attentionBias(step, pads, column, 1, column + 1), cache,
                                params.temperature());
                        keep(cache, scope);
                    } else {
                        int columns = column + 1;
                        logProbs = nextLogProbs(step, gen.allTokens(step, batch, columns, model.tokenizer().padId()),
                                TokenBatch.positions(step, pads, 0, columns),
                                TokenBatch.attentionBias(step, pads, 0, columns, columns), null,
                                params.temperature());
                    }
                }
            }
        }
        return gen.samples();
    }

    private static void keep(KvCache cache, NDManager scope) {
        if (cache != null) {
            cache.attachTo(scope);
        }
    }

    /** log_softmax(logits / T) at the last column, (B·V) row-major. */
    private float[] nextLogProbs(NDManager step, NDArray tokens, NDArray positions, NDArray bias, KvCache cache,
                                 float temperature) {
        NDArray hidden = model.hidden(step, tokens, positions, bias, cache);
        NDArray last = hidden.get(":, -1, :");
        return model.logits(step, last).div(step.create(temperature)).logSoftmax(-1).toFloatArray();
    }

    /**
     * One random stream per row, all fixed by {@code seed}. They are split from one root, so no two rows share draws:
     * seeding row i with {@code seed + i·γ} (γ SplittableRandom's own increment), as this class once did, gives row
     * i + 1 row i's draws shifted by one, so sibling samples of one prompt were not independent.
     */
    static SplittableRandom[] rowStreams(long seed, int rows) {
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom[] streams = new SplittableRandom[rows];
        for (int i = 0; i < rows; i++) {
            streams[i] = root.split();
        }
        return streams;
    }

    /** Per-row state of one batched generation. */
    private static final class Generation {
        private final TokenChooser chooser;
        private final SplittableRandom[] rngs;
        private final List<List<Integer>> tokens = new ArrayList<>();
        private final List<List<Float>> logProbs = new ArrayList<>();
        private final boolean[] done;

        Generation(int rows, SamplingParams params) {
            this.chooser = new TokenChooser(params);
            this.rngs = rowStreams(params.seed(), rows);
            this.done = new boolean[rows];
            for (int i = 0; i < rows; i++) {
                tokens.add(new ArrayList<>());
                logProbs.add(new ArrayList<>());
            }
        }

        /** Picks each unfinished row's next token; finished rows get PAD (their outputs are ignored). */
        int[] choose(float[] rowLogProbs, int vocab, int eos, int pad) {
            int[] chosen = new int[done.length];
            for (int i = 0; i < done.length; i++) {
                if (done[i]) {
                    chosen[i] = pad;
                    continue;
                }
                int id = chooser.choose(rowLogProbs, i * vocab, vocab, rngs[i]);
                chosen[i] = id;
                tokens.get(i).add(id);
                logProbs.get(i).add(rowLogProbs[i * vocab + id]);
                done[i] = id == eos;
            }
            return chosen;
        }

        boolean allDone() {
            for (boolean d : done) {
                if (!d) {
                    return false;
                }
            }
            return true;
        }

        /** Padded prompts followed by every token generated so far (PAD after a row finished), (B, columns). */
        NDArray allTokens(NDManager manager, TokenBatch batch, int columns, int pad) {
            long[] flat = new long[done.length * columns];
            for (int i = 0; i < done.length; i++) {
                int[] prompt = batch.row(i);
                int padCount = batch.padCount(i);
                List<Integer> gen = tokens.get(i);
                for (int j = 0; j < columns; j++) {
                    int g = j - batch.length();
                    long id;
                    if (j < padCount) {
                        id = pad;
                    } else if (g < 0) {
                        id = prompt[j - padCount];
                    } else {
                        id = g < gen.size() ? gen.get(g) : pad;
                    }
                    flat[i * columns + j] = id;
                }
            }
            return manager.create(flat, new Shape(done.length, columns));
        }

        List<Sample> samples() {
            List<Sample> out = new ArrayList<>(done.length);
            for (int i = 0; i < done.length; i++) {
                int[] t = tokens.get(i).stream().mapToInt(Integer::intValue).toArray();
                float[] lp = new float[t.length];
                for (int j = 0; j < lp.length; j++) {
                    lp[j] = logProbs.get(i).get(j);
                }
                out.add(new Sample(t, lp));
            }
            return out;
        }
    }
}
