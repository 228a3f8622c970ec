package dev.flywheel.core.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Shape of a decoder-only causal transformer.
 *
 * @param vocabSize  number of token ids (the tokenizer's {@code vocabSize()})
 * @param dModel     width of the residual stream; a multiple of {@code heads}
 * @param heads      attention heads per layer
 * @param layers     number of pre-LayerNorm decoder blocks
 * @param context    longest sequence (prompt + response) the position embedding covers
 * @param mlpRatio   hidden width of the MLP as a multiple of {@code dModel}
 * @param dropout    must be 0: training is deterministic and log-probs must not depend on a training flag
 * @param valueHead  whether the model carries a scalar head (PPO critic or reward-model score)
 */
public record ModelConfig(int vocabSize, int dModel, int heads, int layers, int context, int mlpRatio,
                          float dropout, boolean valueHead) {

    /** Validates every field and names the one that is wrong. */
    public ModelConfig {
        require(vocabSize > 0, "vocabSize must be positive, got " + vocabSize);
        require(dModel > 0, "dModel must be positive, got " + dModel);
        require(heads > 0 && dModel % heads == 0,
                "heads must divide dModel; got dModel=" + dModel + ", heads=" + heads);
        require(layers > 0, "layers must be positive, got " + layers);
        require(context > 1, "context must be at least 2 tokens, got " + context);
        require(mlpRatio > 0, "mlpRatio must be positive, got " + mlpRatio);
        require(dropout == 0f, "dropout must be 0 (Flywheel needs log-probs that do not depend on a training "
                + "flag); got " + dropout);
    }

    /** The default model: d=128, 4 heads, 2 layers, context 96, MLP ratio 4, with a value head. */
    public static ModelConfig defaults(int vocabSize) {
        return new ModelConfig(vocabSize, 128, 4, 2, 96, 4, 0f, true);
    }

    /** A very small model for tests: d=32, 2 heads, 1 layer, context 32. */
    public static ModelConfig tiny(int vocabSize) {
        return new ModelConfig(vocabSize, 32, 2, 1, 32, 4, 0f, true);
    }

    /** Same config with a different context length. */
    public ModelConfig withContext(int newContext) {
        return new ModelConfig(vocabSize, dModel, heads, layers, newContext, mlpRatio, dropout, valueHead);
    }

    /** Same config with or without the value head. */
    public ModelConfig withValueHead(boolean flag) {
        return new ModelConfig(vocabSize, dModel, heads, layers, context, mlpRatio, dropout, flag);
    }

    /** Same config with a different width and depth. */
    public ModelConfig withSize(int newDModel, int newHeads, int newLayers) {
        return new ModelConfig(vocabSize, newDModel, newHeads, newLayers, context, mlpRatio, dropout, valueHead);
    }

    /** Width of one attention head. */
    public int headDim() {
        return dModel / heads;
    }

    /** {@code key=value} lines in a fixed order (the checkpoint form). */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        asMap().forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return sb.toString();
    }

    /** Reads {@link #toText()}; names the missing or malformed key. */
    public static ModelConfig fromText(String text) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                kv.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return new ModelConfig(intOf(kv, "vocabSize"), intOf(kv, "dModel"), intOf(kv, "heads"),
                intOf(kv, "layers"), intOf(kv, "context"), intOf(kv, "mlpRatio"),
                Float.parseFloat(kv.getOrDefault("dropout", "0")), Boolean.parseBoolean(valueOf(kv, "valueHead")));
    }

    private Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vocabSize", vocabSize);
        m.put("dModel", dModel);
        m.put("heads", heads);
        m.put("layers", layers);
        m.put("context", context);
        m.put("mlpRatio", mlpRatio);
        m.put("dropout", dropout);
        m.put("valueHead", valueHead);
        return m;
    }

    private static String valueOf(Map<String, String> kv, String key) {
        String v = kv.get(key);
        if (v == null) {
            throw new IllegalArgumentException("model config text lacks '" + key + "='; expected the form written "
                    + "by ModelConfig.toText()");
        }
        return v;
    }

    private static int intOf(Map<String, String> kv, String key) {
        String v = valueOf(kv, key);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("model config '" + key + "' must be an integer, got '" + v + "'", e);
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("invalid model config: " + message);
        }
    }
}
