package dev.flywheel.core.tokenizer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Character-level tokenizer: one id per Unicode code point of a fixed alphabet, after PAD, BOS, EOS and UNK.
 *
 * <p>Characters outside the alphabet encode to UNK (check with {@link #covers(String)} first if that matters);
 * the version is a hash of the alphabet, so a model never silently meets a different vocabulary.
 */
public final class CharTokenizer implements Tokenizer {

    /** Type name in the saved text form. */
    public static final String TYPE = "char";

    static final int PAD = 0;
    static final int BOS = 1;
    static final int EOS = 2;
    static final int UNK = 3;
    private static final int FIRST_CHAR_ID = 4;

    private final int[] alphabet;
    private final Map<Integer, Integer> idOfCodePoint;
    private final String version;

    private CharTokenizer(int[] alphabet) {
        this.alphabet = alphabet.clone();
        this.idOfCodePoint = new HashMap<>();
        for (int i = 0; i < alphabet.length; i++) {
            if (idOfCodePoint.put(alphabet[i], FIRST_CHAR_ID + i) != null) {
                throw new IllegalArgumentException("alphabet repeats character '"
                        + new String(Character.toChars(alphabet[i])) + "'; list each character once");
            }
        }
        this.version = "char-v1-" + fingerprint(alphabet);
    }

    /** Tokenizer over exactly the characters of {@code alphabet}, in that order. */
    public static CharTokenizer of(String alphabet) {
        Objects.requireNonNull(alphabet, "alphabet");
        if (alphabet.isEmpty()) {
            throw new IllegalArgumentException("alphabet is empty; give at least one character");
        }
        return new CharTokenizer(alphabet.codePoints().toArray());
    }

    /** Tokenizer over every distinct character of {@code texts}, sorted by code point (stable across runs). */
    public static CharTokenizer fromCorpus(Iterable<String> texts) {
        TreeSet<Integer> seen = new TreeSet<>();
        for (String t : texts) {
            t.codePoints().forEach(seen::add);
        }
        if (seen.isEmpty()) {
            throw new IllegalArgumentException("corpus has no characters; give at least one non-empty text");
        }
        return new CharTokenizer(seen.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The alphabet as a string, in id order. */
    public String alphabet() {
        return new String(alphabet, 0, alphabet.length);
    }

    /** Whether every character of {@code text} has its own id (none would become UNK). */
    public boolean covers(String text) {
        return text.codePoints().allMatch(idOfCodePoint::containsKey);
    }

    @Override
    public int[] encode(String text) {
        return text.codePoints().map(cp -> idOfCodePoint.getOrDefault(cp, UNK)).toArray();
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder(ids.length);
        for (int id : ids) {
            if (id < 0 || id >= vocabSize()) {
                throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, "
                        + vocabSize() + ") of tokenizer " + version);
            }
            if (id == UNK) {
                sb.append('\uFFFD');
            } else if (!isSpecial(id)) {
                sb.appendCodePoint(alphabet[id - FIRST_CHAR_ID]);
            }
        }
        return sb.toString();
    }

    @Override
    public int bosId() {
        return BOS;
    }

    @Override
    public int eosId() {
        return EOS;
    }

    @Override
    public int padId() {
        return PAD;
    }

    @Override
    public int vocabSize() {
        return FIRST_CHAR_ID + alphabet.length;
    }

    @Override
    public boolean isSpecial(int id) {
        return id < FIRST_CHAR_ID;
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** Text form: type, version, then the alphabet as hex code points (so any character survives). */
    @Override
    public String toText() {
        String hex = Arrays.stream(alphabet).mapToObj(Integer::toHexString).collect(Collectors.joining(" "));
        return TYPE + "\nversion=" + version + "\nalphabet=" + hex + "\n";
    }

    static CharTokenizer parse(String text) {
        String version = null;
        String hex = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("version=")) {
                version = line.substring("version=".length()).trim();
            } else if (line.startsWith("alphabet=")) {
                hex = line.substring("alphabet=".length()).trim();
            }
        }
        if (hex == null || hex.isEmpty()) {
            throw new IllegalArgumentException("char tokenizer text has no 'alphabet=' line; expected the form "
                    + "written by CharTokenizer.toText()");
        }
        int[] cps = Arrays.stream(hex.split(" ")).mapToInt(h -> Integer.parseInt(h, 16)).toArray();
        CharTokenizer tokenizer = new CharTokenizer(cps);
        if (version != null && !version.equals(tokenizer.version)) {
            throw new IllegalArgumentException("char tokenizer text says version " + version
                    + " but its alphabet hashes to " + tokenizer.version + "; the vocabulary was edited by hand");
        }
        return tokenizer;
    }

    private static String fingerprint(int[] cps) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (int cp : cps) {
                sha.update(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CharTokenizer other && Arrays.equals(alphabet, other.alphabet);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(alphabet);
    }

    @Override
    public String toString() {
        return "CharTokenizer[" + version + ", vocab=" + vocabSize() + "]";
    }
}
