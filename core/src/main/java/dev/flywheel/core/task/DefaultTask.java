package dev.flywheel.core.task;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The default task in one place: its fact base, judge, training data and evaluation sets, all derived from one
 * {@link TaskConfig}. Pre-training sees only KNOWN facts and sums; SFT answers every KNOWN and SFT_UNKNOWN
 * question with its true answer except for a few refusals, which is how SFT teaches a model to guess.
 */
public final class DefaultTask {

    private static final long CORPUS_STREAM = 0x5eed_c0de_0001L;
    private static final long REFUSAL_STREAM = 0x5eed_c0de_0002L;

    private final TaskConfig config;
    private final FactBase facts;
    private final Judge judge;

    private DefaultTask(TaskConfig config) {
        this.config = config;
        this.facts = FactBase.generate(config);
        this.judge = new Judge(facts);
    }

    /** The task a config describes. */
    public static DefaultTask of(TaskConfig config) {
        return new DefaultTask(config);
    }

    /** The task with default sizes and the given seed. */
    public static DefaultTask withSeed(long seed) {
        return of(TaskConfig.defaults(seed));
    }

    /** The config this task was built from. */
    public TaskConfig config() {
        return config;
    }

    /** The fact base. */
    public FactBase facts() {
        return facts;
    }

    /** The exact judge (it knows every fact). */
    public Judge judge() {
        return judge;
    }

    /** Every single-digit sum question, a+b for a, b in 0..9. */
    public List<Question> sums() {
        List<Question> out = new ArrayList<>(100);
        for (int a = 0; a < 10; a++) {
            for (int b = 0; b < 10; b++) {
                out.add(QuestionSource.sum(a, b));
            }
        }
        return out;
    }

    /**
     * Pre-training documents: every KNOWN fact in four phrasings and every sum in two, shuffled once by the seed.
     * Nothing about SFT_UNKNOWN or out-of-knowledge names appears here.
     */
    public List<String> pretrainingCorpus() {
        List<String> docs = new ArrayList<>();
        for (Fact f : facts.known()) {
            for (int v = 0; v < 4; v++) {
                docs.add(TaskFormat.factSentence(f.name(), f.code(), v));
            }
        }
        for (int a = 0; a < 10; a++) {
            for (int b = 0; b < 10; b++) {
                for (int v = 0; v < 2; v++) {
                    docs.add(TaskFormat.sumSentence(a, b, v));
                }
            }
        }
        Collections.shuffle(docs, new java.util.Random(config.seed() ^ CORPUS_STREAM));
        return List.copyOf(docs);
    }

    /** The first epoch of SFT demonstrations (see {@link #demonstrations(SplittableRandom)}). */
    public List<Demonstration> demonstrations() {
        return demonstrations(new SplittableRandom(config.seed() ^ REFUSAL_STREAM));
    }

    /**
     * One epoch of SFT demonstrations: KNOWN facts and sums answered right; SFT_UNKNOWN facts answered with their
     * true code (the labeler knows it, the model cannot), except that each is answered with the refusal with
     * probability {@link TaskConfig#refusalFraction()}, drawn from {@code random}. Drawing per epoch means the
     * labeler sometimes abstains on every unknown name, rather than always on the same few, so the policy learns
     * a small refusal probability for unfamiliar names instead of memorising which names were refused.
     */
    public List<Demonstration> demonstrations(SplittableRandom random) {
        List<Demonstration> out = new ArrayList<>();
        for (Fact f : facts.known()) {
            out.add(new Demonstration(f.question(), f.question().rightResponse()));
        }
        for (Fact f : facts.sftUnknown()) {
            boolean refuse = random.nextDouble() < config.refusalFraction();
            out.add(new Demonstration(f.question(), refuse ? TaskFormat.refusalResponse() : f.question().rightResponse()));
        }
        for (Question q : sums()) {
            out.add(new Demonstration(q, q.rightResponse()));
        }
        return List.copyOf(out);
    }

    /** In-knowledge evaluation: every KNOWN fact and every sum. */
    public EvaluationSet inKnowledgeEvaluation() {
        List<Question> qs = new ArrayList<>();
        facts.known().forEach(f -> qs.add(f.question()));
        qs.addAll(sums());
        return new EvaluationSet("in-knowledge", qs);
    }

    /** Out-of-knowledge evaluation: every held-out fact (never in training or traffic). */
    public EvaluationSet outOfKnowledgeEvaluation() {
        return new EvaluationSet("out-of-knowledge", facts.heldOut().stream().map(Fact::question).toList());
    }

    /** A traffic source with the given mix and seed. */
    public QuestionSource questionSource(TrafficMix mix, long seed) {
        return new QuestionSource(facts, mix, seed);
    }

    /** A uniformly random wrong answer to a question, never equal to its right answer. */
    public String wrongAnswer(Question question, SplittableRandom random) {
        if (question.kind() == QuestionKind.SUM) {
            int right = Integer.parseInt(question.answer());
            int wrong = random.nextInt(18);
            return String.valueOf(wrong >= right ? wrong + 1 : wrong);
        }
        String code;
        do {
            code = FactBase.randomCode(question.answer().length(), random);
        } while (code.equals(question.answer()));
        return code;
    }
}
