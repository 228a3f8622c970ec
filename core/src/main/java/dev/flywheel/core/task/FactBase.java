package dev.flywheel.core.task;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The synthetic facts of the default task, generated from a seed: four disjoint sets of names with their codes.
 * The out-of-knowledge pool is split in two: facts that traffic asks about, and held-out facts that only the
 * evaluation and held-out comparisons ask about, so that evaluation measures behaviour on names nothing has seen.
 */
public final class FactBase {

    private final List<Fact> known;
    private final List<Fact> sftUnknown;
    private final List<Fact> outOfKnowledge;
    private final List<Fact> heldOut;
    private final Map<String, Fact> byName;

    private FactBase(List<Fact> known, List<Fact> sftUnknown, List<Fact> outOfKnowledge, List<Fact> heldOut) {
        this.known = List.copyOf(known);
        this.sftUnknown = List.copyOf(sftUnknown);
        this.outOfKnowledge = List.copyOf(outOfKnowledge);
        this.heldOut = List.copyOf(heldOut);
        Map<String, Fact> index = new LinkedHashMap<>();
        for (List<Fact> part : List.of(this.known, this.sftUnknown, this.outOfKnowledge, this.heldOut)) {
            for (Fact f : part) {
                index.put(f.name(), f);
            }
        }
        this.byName = Collections.unmodifiableMap(index);
    }

    /** Generates the fact base a config describes; the same config always gives the same facts. */
    public static FactBase generate(TaskConfig config) {
        SplittableRandom random = new SplittableRandom(config.seed());
        int total = config.knownFacts() + config.sftUnknownFacts() + config.outOfKnowledgeFacts() + config.heldOutFacts();
        List<String> names = NameGenerator.distinct(total, random);
        List<Fact> facts = new ArrayList<>(total);
        int[] bounds = {
            config.knownFacts(),
            config.knownFacts() + config.sftUnknownFacts(),
            config.knownFacts() + config.sftUnknownFacts() + config.outOfKnowledgeFacts(),
        };
        for (int i = 0; i < total; i++) {
            Pool pool = i < bounds[0] ? Pool.KNOWN : i < bounds[1] ? Pool.SFT_UNKNOWN : Pool.OUT_OF_KNOWLEDGE;
            facts.add(new Fact(names.get(i), randomCode(config.codeDigits(), random), pool));
        }
        return new FactBase(facts.subList(0, bounds[0]), facts.subList(bounds[0], bounds[1]),
                facts.subList(bounds[1], bounds[2]), facts.subList(bounds[2], total));
    }

    /** A code of {@code digits} uniformly random digits. */
    static String randomCode(int digits, SplittableRandom random) {
        StringBuilder code = new StringBuilder(digits);
        for (int i = 0; i < digits; i++) {
            code.append((char) ('0' + random.nextInt(10)));
        }
        return code.toString();
    }

    /** Facts in the pre-training corpus and SFT. */
    public List<Fact> known() {
        return known;
    }

    /** Facts only in SFT demonstrations. */
    public List<Fact> sftUnknown() {
        return sftUnknown;
    }

    /** Out-of-knowledge facts that traffic asks about. */
    public List<Fact> outOfKnowledge() {
        return outOfKnowledge;
    }

    /** Out-of-knowledge facts reserved for evaluation and held-out comparisons. */
    public List<Fact> heldOut() {
        return heldOut;
    }

    /** Every fact of one pool; the out-of-knowledge pool includes the held-out facts. */
    public List<Fact> pool(Pool pool) {
        return switch (pool) {
            case KNOWN -> known;
            case SFT_UNKNOWN -> sftUnknown;
            case OUT_OF_KNOWLEDGE -> {
                List<Fact> all = new ArrayList<>(outOfKnowledge);
                all.addAll(heldOut);
                yield List.copyOf(all);
            }
        };
    }

    /** The fact about a name, if the fact base has one. */
    public Optional<Fact> lookup(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** How many facts there are in all pools. */
    public int size() {
        return byName.size();
    }

    /** The digits per code. */
    public int codeDigits() {
        return known.get(0).code().length();
    }
}
