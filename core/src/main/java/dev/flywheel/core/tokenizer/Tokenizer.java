package dev.flywheel.core.tokenizer;

/**
 * Maps text to token ids and back; saved with every model so a checkpoint always decodes the way it was trained.
 *
 * <p>Ids {@code 0..vocabSize()-1} are dense. {@link #encode} never adds BOS/EOS: callers decide where a sequence
 * starts and ends. A user-supplied implementation is registered with {@link Tokenizers} under its {@link #type()}.
 */
public interface Tokenizer {

    /** Token ids of {@code text}, without BOS or EOS. */
    int[] encode(String text);

    /** Text of {@code ids}; special tokens (BOS, EOS, PAD) are skipped. */
    String decode(int[] ids);

    /** Id that starts every prompt. */
    int bosId();

    /** Id that ends a response; sampling stops when it is drawn. */
    int eosId();

    /** Id used to fill batches; never attended to. */
    int padId();

    /** Number of distinct ids, the model's embedding and LM-head size. */
    int vocabSize();

    /** Whether {@code id} is BOS, EOS, PAD or another non-text token. */
    boolean isSpecial(int id);

    /** Identifies the vocabulary exactly: two tokenizers with equal versions encode every text the same way. */
    String version();

    /** Registered kind of tokenizer, the first line of {@link #toText()}'s payload. */
    String type();

    /** Small text form that {@link Tokenizers#fromText(String)} reads back into an equal tokenizer. */
    String toText();

    /** {@code BOS + encode(text)}: the usual way to turn a user's prompt into model input. */
    default int[] encodePrompt(String text) {
        int[] body = encode(text);
        int[] ids = new int[body.length + 1];
        ids[0] = bosId();
        System.arraycopy(body, 0, ids, 1, body.length);
        return ids;
    }
}
