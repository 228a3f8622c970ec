package dev.flywheel.core.model;

import ai.djl.Device;
import dev.flywheel.core.tokenizer.CharTokenizer;

import java.util.ArrayList;
import java.util.List;

/** Small models and prompts shared by the core-model tests. */
public final class TinyModels {

    /** Digits, lowercase letters, space and a few symbols. */
    public static final CharTokenizer TOKENIZER = CharTokenizer.of("0123456789abcdefghijklmnopqrstuvwxyz +-=?.");

    private TinyModels() {
    }

    /** A 1-layer d=32 model with a value head on the CPU. */
    public static TransformerModel tiny(long seed) {
        return TransformerModel.create(ModelConfig.tiny(TOKENIZER.vocabSize()), TOKENIZER, seed, Device.cpu());
    }

    /** A 2-layer d=48 model, context 48, to exercise multi-layer caching. */
    public static TransformerModel small(long seed) {
        ModelConfig config = new ModelConfig(TOKENIZER.vocabSize(), 48, 4, 2, 48, 4, 0f, true);
        return TransformerModel.create(config, TOKENIZER, seed, Device.cpu());
    }

    /** Prompts of different lengths (so batches are padded). */
    public static List<int[]> prompts(String... texts) {
        List<int[]> out = new ArrayList<>();
        for (String t : texts) {
            out.add(TOKENIZER.encodePrompt(t));
        }
        return out;
    }
}
