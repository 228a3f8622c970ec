package dev.flywheel.core.task;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fixed text formats of the default task. Prompts end with {@code "A:"} and every response starts with one
 * space, so that prompt + response reads naturally and fits a 64-character context with BOS and EOS.
 *
 * <pre>
 * "Q: code of kovar?\nA:"  →  " 4821"  or  " I don't know"
 * "Q: 3+5?\nA:"            →  " 8"
 * </pre>
 */
public final class TaskFormat {

    /** The abstention text, without the response's leading space. */
    public static final String REFUSAL = "I don't know";

    private static final Pattern FACT_PROMPT = Pattern.compile("Q: code of ([a-z]+)\\?\nA:");
    private static final Pattern SUM_PROMPT = Pattern.compile("Q: (\\d)\\+(\\d)\\?\nA:");

    private TaskFormat() {
    }

    /** The prompt asking for a name's code. */
    public static String factPrompt(String name) {
        return "Q: code of " + name + "?\nA:";
    }

    /** The prompt asking for a single-digit sum. */
    public static String sumPrompt(int a, int b) {
        checkDigit(a);
        checkDigit(b);
        return "Q: " + a + "+" + b + "?\nA:";
    }

    /** An answer (or the refusal) in the response format: one leading space. */
    public static String response(String answer) {
        return " " + answer;
    }

    /** The refusal in the response format. */
    public static String refusalResponse() {
        return response(REFUSAL);
    }

    /** A pre-training sentence stating a fact, in one of several phrasings chosen by {@code variant}. */
    public static String factSentence(String name, String code, int variant) {
        return switch (Math.floorMod(variant, 4)) {
            case 0 -> "the code of " + name + " is " + code + ".";
            case 1 -> name + " has code " + code + ".";
            case 2 -> "code of " + name + ": " + code;
            default -> factPrompt(name) + response(code);
        };
    }

    /** A pre-training sentence stating a sum, in one of two phrasings chosen by {@code variant}. */
    public static String sumSentence(int a, int b, int variant) {
        return Math.floorMod(variant, 2) == 0 ? a + "+" + b + "=" + (a + b) : sumPrompt(a, b) + response(String.valueOf(a + b));
    }

    /** The name a fact prompt asks about, if the text is a fact prompt. */
    public static Optional<String> askedName(String prompt) {
        Matcher m = FACT_PROMPT.matcher(prompt);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The two addends a sum prompt asks about, if the text is a sum prompt. */
    public static Optional<int[]> askedSum(String prompt) {
        Matcher m = SUM_PROMPT.matcher(prompt);
        return m.matches()
                ? Optional.of(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))})
                : Optional.empty();
    }

    /** Whitespace normalisation the judge applies: trim both ends and collapse inner runs to one space. */
    public static String normalise(String response) {
        return response.strip().replaceAll("\\s+", " ");
    }

    private static void checkDigit(int d) {
        if (d < 0 || d > 9) {
            throw new IllegalArgumentException("sum questions take single digits 0..9, got " + d);
        }
    }
}
