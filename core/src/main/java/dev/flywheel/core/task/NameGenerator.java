package dev.flywheel.core.task;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/** Pronounceable made-up names of the form consonant-vowel-consonant-vowel-consonant ("kovar"). */
final class NameGenerator {

    private static final String CONSONANTS = "bdfgklmnprstvz";
    private static final String VOWELS = "aeiou";

    private NameGenerator() {
    }

    /** How many distinct names the pattern can produce. */
    static long capacity() {
        long c = CONSONANTS.length();
        long v = VOWELS.length();
        return c * v * c * v * c;
    }

    /** {@code count} distinct names, in an order fixed by the random stream. */
    static List<String> distinct(int count, SplittableRandom random) {
        Set<String> names = new LinkedHashSet<>();
        while (names.size() < count) {
            names.add(one(random));
        }
        return List.copyOf(names);
    }

    private static String one(SplittableRandom random) {
        StringBuilder name = new StringBuilder(5);
        for (int i = 0; i < 5; i++) {
            String letters = i % 2 == 0 ? CONSONANTS : VOWELS;
            name.append(letters.charAt(random.nextInt(letters.length())));
        }
        return name.toString();
    }
}
