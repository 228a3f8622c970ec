package dev.flywheel.core.bootstrap;

import ai.djl.Device;
import dev.flywheel.core.device.Devices;
import dev.flywheel.core.device.TorchThreads;
import dev.flywheel.core.model.ModelConfig;
import dev.flywheel.core.model.RewardModel;
import dev.flywheel.core.model.TransformerModel;
import dev.flywheel.core.sampling.SamplingParams;
import dev.flywheel.core.store.Checkpoint;
import dev.flywheel.core.store.ModelStore;
import dev.flywheel.core.task.DefaultTask;
import dev.flywheel.core.task.labeler.Comparison;
import dev.flywheel.core.task.labeler.ComparisonSampler;
import dev.flywheel.core.task.labeler.PairwiseJudgement;
import dev.flywheel.core.task.labeler.RaterPanel;
import dev.flywheel.core.tokenizer.CharTokenizer;
import dev.flywheel.core.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains the default models from nothing: pre-train → SFT → copy SFT as the reference → reward model (from the SFT
 * weights, Bradley–Terry on simulated rater comparisons) → evaluate → write policy v0, the reference and the reward
 * model to a {@link ModelStore} under the refs {@value #POLICY_REF}, {@value #REFERENCE_REF} and
 * {@value #REWARD_MODEL_REF}.
 */
public final class Bootstrap {

    /** Store ref of the first policy version (the SFT model). */
    public static final String POLICY_REF = "policy-v0";
    /** Store ref of the frozen reference (the same bytes as policy v0). */
    public static final String REFERENCE_REF = "reference";
    /** Store ref of the reward model. */
    public static final String REWARD_MODEL_REF = "reward-model";

    /** Every printable ASCII character and the newline: covers the task's text and any plain user prompt. */
    public static final String ALPHABET = "\n" + printableAscii();

    private static final int INIT = 1;
    private static final int PRETRAIN_ORDER = 2;
    private static final int SFT_ORDER = 3;
    private static final int RM_INIT = 4;
    private static final int RM_DATA = 5;
    private static final int RATERS = 6;
    private static final int HELD_OUT = 7;
    private static final int SAMPLED_EVAL = 8;

    private Bootstrap() {
    }

    /** The tokenizer every bootstrapped model uses. */
    public static CharTokenizer tokenizer() {
        return CharTokenizer.of(ALPHABET);
    }

    /**
     * Runs the whole pipeline, reporting progress to {@code listener}, and returns what it produced. Uses one
     * libtorch intra-op thread while it runs (restored afterwards): on the shared 2-core machine two threads
     * trained over ten times slower than one, and one thread also makes the result independent of the core count.
     */
    public static BootstrapReport run(BootstrapOptions options, BootstrapListener listener) {
        int threads = TorchThreads.current();
        TorchThreads.set(1);
        try {
            return runSingleThreaded(options, listener);
        } finally {
            TorchThreads.set(threads);
        }
    }

    private static BootstrapReport runSingleThreaded(BootstrapOptions options, BootstrapListener listener) {
        long start = System.nanoTime();
        Device device = Devices.select(options.device());
        DefaultTask task = DefaultTask.of(options.task());
        CharTokenizer tokenizer = tokenizer();
        ModelShape shape = options.model();
        ModelConfig config = new ModelConfig(tokenizer.vocabSize(), shape.dModel(), shape.heads(), shape.layers(),
                shape.context(), 4, 0f, false);
        TrainingSchedule schedule = options.schedule();
        StageTraining training = new StageTraining(schedule, listener);
        long seed = options.seed();
        List<StageResult> stages = new ArrayList<>();

        try (TransformerModel policy = TransformerModel.create(config, tokenizer, derive(seed, INIT), device)) {
            var corpus = new ExampleStream(TrainingData.pretraining(task, tokenizer), derive(seed, PRETRAIN_ORDER));
            stages.add(training.languageModel(Stage.PRETRAIN, policy, corpus, schedule.pretrainSteps(),
                    schedule.pretrainLr()));
            var demos = new ExampleStream(random -> TrainingData.sft(task, tokenizer, random), derive(seed, SFT_ORDER));
            stages.add(training.languageModel(Stage.SFT, policy, demos, schedule.sftSteps(), schedule.sftLr()));

            try (RewardModel rm = RewardModel.initialisedFrom(policy, derive(seed, RM_INIT))) {
                LabelledComparisons labelled = new LabelledComparisons(
                        ComparisonSampler.forTraining(task, derive(seed, RM_DATA)),
                        RaterPanel.standard(derive(seed, RATERS)));
                stages.add(training.rewardModel(rm, labelled::take, tokenizer, schedule.rewardSteps(),
                        schedule.rewardLr()));

                Graded graded = grade(policy, rm, task, options, labelled.labelAccuracy(), listener);
                stages.add(graded.stage());
                Written written = write(policy, rm, options, listener);
                stages.add(written.stage());

                BootstrapReport report = new BootstrapReport(seed, options.quick(), options.device(), config, stages,
                        graded.sft(), graded.rewardModel(), written.models(),
                        Duration.ofNanos(System.nanoTime() - start));
                BootstrapManifest.write(written.directory(), options, report);
                return report;
            }
        }
    }

    /** Grades the SFT policy (greedy, and sampled if asked) and the reward model on held-out data. */
    private static Graded grade(TransformerModel policy, RewardModel rm, DefaultTask task, BootstrapOptions options,
                                double labelAccuracy, BootstrapListener listener) {
        ProgressMeter meter = new ProgressMeter(Stage.EVALUATE, options.sampledEvaluation() ? 3 : 2, listener);
        List<PolicyEvaluation> sft = new ArrayList<>();
        sft.add(evaluate(policy, task, "greedy", PolicyGrader.greedy(), options.evaluationLimit()));
        meter.step(Double.NaN);
        if (options.sampledEvaluation()) {
            sft.add(evaluate(policy, task, "sampled T=1", PolicyGrader.sampled(derive(options.seed(), SAMPLED_EVAL)),
                    options.evaluationLimit()));
            meter.step(Double.NaN);
        }
        RewardModelEvaluation rmEval = RewardModelGrader.grade(rm,
                heldOutComparisons(task, options.heldOutComparisons()), labelAccuracy);
        meter.step(Double.NaN);
        StageResult stage = meter.finish(sft.get(0).inKnowledge().summary() + " in-knowledge, "
                + sft.get(0).outOfKnowledge().summary() + " out-of-knowledge (greedy), RM accuracy "
                + String.format(Locale.ROOT, "%.1f%%", 100 * rmEval.accuracy()));
        return new Graded(sft, rmEval, stage);
    }

    /** Saves the SFT policy (as policy v0 and as the reference: the same bytes) and the reward model. */
    private static Written write(TransformerModel policy, RewardModel rm, BootstrapOptions options,
                                 BootstrapListener listener) {
        ProgressMeter meter = new ProgressMeter(Stage.WRITE, 2, listener);
        ModelStore store = ModelStore.open(options.out());
        String seed = Long.toString(options.seed());
        String policySha = store.save(Checkpoint.of(policy)
                .withMetadata("kind", "policy")
                .withMetadata("stage", "sft")
                .withMetadata("bootstrap.seed", seed)).sha256();
        store.setRef(POLICY_REF, policySha);
        store.setRef(REFERENCE_REF, policySha);
        meter.step(Double.NaN);
        String rmSha = store.save(Checkpoint.of(rm.model())
                .withMetadata("kind", "reward-model")
                .withMetadata("bootstrap.seed", seed)).sha256();
        store.setRef(REWARD_MODEL_REF, rmSha);
        meter.step(Double.NaN);
        Map<String, String> models = new LinkedHashMap<>();
        models.put(POLICY_REF, policySha);
        models.put(REFERENCE_REF, policySha);
        models.put(REWARD_MODEL_REF, rmSha);
        return new Written(models, store.directory(), meter.finish("into " + store.directory()));
    }

    private static PolicyEvaluation evaluate(TransformerModel policy, DefaultTask task, String decoding,
                                             SamplingParams params, int limit) {
        return new PolicyEvaluation(decoding,
                PolicyGrader.grade(policy, task.inKnowledgeEvaluation(), params, limit),
                PolicyGrader.grade(policy, task.outOfKnowledgeEvaluation(), params, limit));
    }

    /** The held-out comparisons a run grades its reward model on (the same for every run of the task's seed). */
    static List<Comparison> heldOutComparisons(DefaultTask task, int n) {
        return ComparisonSampler.forHeldOut(task, derive(task.config().seed(), HELD_OUT)).take(n);
    }

    /** A seed for one purpose, derived from the run's seed so purposes never share a random stream. */
    static long derive(long seed, int purpose) {
        return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * purpose)).nextLong();
    }

    private static String printableAscii() {
        StringBuilder sb = new StringBuilder();
        for (char c = 32; c < 127; c++) {
            sb.append(c);
        }
        return sb.toString();
    }

    private record Graded(List<PolicyEvaluation> sft, RewardModelEvaluation rewardModel, StageResult stage) {
    }

    private record Written(Map<String, String> models, Path directory, StageResult stage) {
    }

    /** Comparisons labelled by the rater panel, counting how many labels agree with the exact judge. */
    private static final class LabelledComparisons {
        private final ComparisonSampler sampler;
        private final RaterPanel panel;
        private int decisive;
        private int agreeing;

        LabelledComparisons(ComparisonSampler sampler, RaterPanel panel) {
            this.sampler = sampler;
            this.panel = panel;
        }

        List<PairwiseJudgement> take(int n) {
            List<PairwiseJudgement> out = new ArrayList<>(n);
            for (Comparison c : sampler.take(n)) {
                PairwiseJudgement j = panel.compare(c.question(), c.first(), c.second());
                if (j.decisive()) {
                    decisive++;
                    agreeing += j.agreesWithJudge() ? 1 : 0;
                }
                out.add(j);
            }
            return out;
        }

        double labelAccuracy() {
            return decisive == 0 ? Double.NaN : agreeing / (double) decisive;
        }
    }
}
