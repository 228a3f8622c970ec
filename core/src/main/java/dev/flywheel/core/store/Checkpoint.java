package dev.flywheel.core.store;

import ai.djl.Device;
import dev.flywheel.core.model.ModelConfig;
import dev.flywheel.core.model.NamedTensor;
import dev.flywheel.core.model.TransformerModel;
import dev.flywheel.core.optim.OptimizerState;
import dev.flywheel.core.tokenizer.Tokenizer;
import dev.flywheel.core.tokenizer.Tokenizers;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything needed to rebuild a model exactly: config, tokenizer, parameters, optionally the optimizer state, and
 * string metadata (e.g. {@code kind=policy}, {@code step=1200}, the learner's consumer offsets).
 *
 * @param config     network shape
 * @param tokenizer  the tokenizer in its text form ({@link Tokenizer#toText()})
 * @param parameters parameter values in the model's stable order
 * @param optimizer  Adam moments, when training should resume from here
 * @param metadata   sorted key/value pairs (sorted so equal checkpoints have equal bytes)
 */
public record Checkpoint(ModelConfig config, String tokenizer, List<NamedTensor> parameters,
                         Optional<OptimizerState> optimizer, SortedMap<String, String> metadata) {

    /** Copies the collections so a checkpoint never changes after it is built. */
    public Checkpoint {
        parameters = List.copyOf(parameters);
        metadata = new TreeMap<>(metadata);
    }

    /** A checkpoint of {@code model}'s current weights, without optimizer state. */
    public static Checkpoint of(TransformerModel model) {
        return new Checkpoint(model.config(), model.tokenizer().toText(), model.tensors(), Optional.empty(),
                new TreeMap<>());
    }

    /** Same checkpoint also holding {@code state}. */
    public Checkpoint withOptimizer(OptimizerState state) {
        return new Checkpoint(config, tokenizer, parameters, Optional.of(state), metadata);
    }

    /** Same checkpoint with one more metadata entry. */
    public Checkpoint withMetadata(String key, String value) {
        TreeMap<String, String> m = new TreeMap<>(metadata);
        m.put(key, value);
        return new Checkpoint(config, tokenizer, parameters, optimizer, m);
    }

    /** The tokenizer, parsed with the built-in registry. */
    public Tokenizer parsedTokenizer() {
        return Tokenizers.fromText(tokenizer);
    }

    /** A model with these weights on {@code device} (frozen until made trainable). */
    public TransformerModel toModel(Device device) {
        return TransformerModel.fromTensors(config, parsedTokenizer(), parameters, device);
    }
}
