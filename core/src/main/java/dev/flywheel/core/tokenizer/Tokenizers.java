package dev.flywheel.core.tokenizer;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/** Reads any tokenizer back from its {@link Tokenizer#toText()} form, dispatching on the first line (its type). */
public final class Tokenizers {

    private final Map<String, Function<String, Tokenizer>> parsers;

    private Tokenizers(Map<String, Function<String, Tokenizer>> parsers) {
        this.parsers = Map.copyOf(parsers);
    }

    /** The built-in registry: the character tokenizer. */
    public static Tokenizers builtIn() {
        return new Tokenizers(Map.of(CharTokenizer.TYPE, CharTokenizer::parse));
    }

    /** A registry that also reads {@code type} with {@code parser}, for a user's own tokenizer. */
    public Tokenizers with(String type, Function<String, Tokenizer> parser) {
        var copy = new HashMap<>(parsers);
        copy.put(type, parser);
        return new Tokenizers(copy);
    }

    /** Parses with the built-in registry. */
    public static Tokenizer fromText(String text) {
        return builtIn().parse(text);
    }

    /** Parses {@code text}, whose first line names the tokenizer type. */
    public Tokenizer parse(String text) {
        int nl = text.indexOf('\n');
        String type = (nl < 0 ? text : text.substring(0, nl)).trim();
        Function<String, Tokenizer> parser = parsers.get(type);
        if (parser == null) {
            throw new IllegalArgumentException("unknown tokenizer type '" + type + "'; known types are "
                    + parsers.keySet() + " (register yours with Tokenizers.builtIn().with(type, parser))");
        }
        return parser.apply(text);
    }
}
