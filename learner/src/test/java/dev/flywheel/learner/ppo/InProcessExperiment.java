package dev.flywheel.learner.ppo;

import ai.djl.Device;
import dev.flywheel.core.bootstrap.BootstrapOptions;
import dev.flywheel.core.bootstrap.PolicyGrader;
import dev.flywheel.core.bootstrap.ShippedModels;
import dev.flywheel.core.loss.KlController;
import dev.flywheel.core.model.ReferenceModel;
import dev.flywheel.core.model.TransformerModel;
import dev.flywheel.core.sampling.Sample;
import dev.flywheel.core.sampling.SamplingParams;
import dev.flywheel.core.store.ModelStore;
import dev.flywheel.core.task.DefaultTask;
import dev.flywheel.core.task.EvaluationSet;
import dev.flywheel.core.task.Fact;
import dev.flywheel.core.task.Judge;
import dev.flywheel.core.task.Question;
import dev.flywheel.core.task.QuestionSource;
import dev.flywheel.core.task.TrafficMix;
import dev.flywheel.core.task.TruthfulnessReward;
import dev.flywheel.learner.experience.Experience;
import dev.flywheel.learner.ledger.RecordPosition;
import dev.flywheel.learner.train.BatchReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Manual experiment: on-policy training loop without Kafka, to tune defaults. Run with -Dexperiment=ppo|grpo|rloo and
 * optionally -Dsteps, -Dlr, -Dbeta, -Dvcoef, -Dlambda, -Dwarmup, -Depochs, -Dminib, -Droot=critic|group,
 * -Dkl=reward|loss, -Dtarget (the KL controller's target, nats).
 */
@EnabledIfSystemProperty(named = "experiment", matches = ".+")
class InProcessExperiment {

    @Test
    void run() throws Exception {
        String algo = System.getProperty("experiment");
        int steps = Integer.getInteger("steps", 100);
        float lr = Float.parseFloat(System.getProperty("lr", "2e-5"));
        int prompts = Integer.getInteger("prompts", 16);
        Path dir = Files.createTempDirectory("exp");
        ModelStore store = ShippedModels.install(dir);
        DefaultTask task = DefaultTask.withSeed(BootstrapOptions.SHIPPED_SEED);
        QuestionSource source = task.questionSource(TrafficMix.DEFAULT, 1);
        TransformerModel policy = store.loadRef("policy-v0").toModel(Device.cpu());
        ReferenceModel reference = ReferenceModel.wrapping(store.loadRef("reference").toModel(Device.cpu()));
        PolicyGradientConfig config = (algo.equals("ppo") ? PolicyGradientConfig.ppo()
                : PolicyGradientConfig.grouped(algo)).withLearningRate(lr);
        float vcoef = Float.parseFloat(System.getProperty("vcoef", "" + config.valueCoef()));
        config = new PolicyGradientConfig(config.advantage(), config.learningRate(), config.epochs(),
                config.miniBatches(), config.clipEps(), config.valueClipEps(), vcoef, config.entropyCoef(),
                config.gamma(), config.lambda(), config.kl(), config.importanceCap(), config.maxGradNorm(),
                config.seed(), Integer.getInteger("warmup", config.criticWarmupSteps()), config.rootBaseline())
                .withSchedule(Integer.getInteger("epochs", config.epochs()),
                        Integer.getInteger("minib", config.miniBatches()))
                .withCredit(Float.parseFloat(System.getProperty("lambda", "" + config.lambda())),
                        RootBaseline.valueOf(System.getProperty("root", config.rootBaseline().name())
                                .toUpperCase(java.util.Locale.ROOT)))
                .withKl(KlPlacement.valueOf(System.getProperty("kl", config.kl().name()).toUpperCase(java.util.Locale.ROOT)));
        dev.flywheel.learner.eval.VersionEvaluator evaluator =
                dev.flywheel.learner.eval.VersionEvaluator.forTask(BootstrapOptions.SHIPPED_SEED);
        double targetKl = Double.parseDouble(System.getProperty("target", "6.0"));
        double beta = Double.parseDouble(System.getProperty("beta", "0.05"));
        try (PolicyGradientTrainer trainer = PolicyGradientTrainer.of(policy, config,
                b -> KlController.adaptive(b, targetKl, 10_000), beta)) {
            long t0 = System.nanoTime();
            for (int step = 0; step < steps; step++) {
                List<Question> qs = source.take(prompts);
                List<int[]> ps = new ArrayList<>();
                for (Question q : qs) {
                    for (int k = 0; k < 4; k++) {
                        ps.add(trainer.model().tokenizer().encodePrompt(q.prompt()));
                    }
                }
                List<Sample> samples = trainer.model().sample(ps, SamplingParams.of(16, 1000L + step));
                List<int[]> rs = samples.stream().map(Sample::tokens).toList();
                float[][] ref = reference.logProbs(ps, rs, 1f);
                List<Experience> batch = new ArrayList<>();
                for (int i = 0; i < ps.size(); i++) {
                    Question q = qs.get(i / 4);
                    String text = trainer.model().tokenizer().decode(rs.get(i));
                    double reward = TruthfulnessReward.DEFAULT.of(Judge.verdict(q, text));
                    batch.add(new Experience(new RecordPosition("x", 0, i), "r" + i, ps.get(i), rs.get(i),
                            samples.get(i).logProbs(), ref[i], reward, 0, 1f, "g" + step + "-" + (i / 4), 4));
                }
                long ts = System.nanoTime();
                BatchReport r = trainer.train(batch);
                double ms = (System.nanoTime() - ts) / 1e6;
                if (step % 10 == 0 || step == steps - 1) {
                    var eval = evaluator.evaluate(trainer.model());
                    // Out-of-knowledge names the traffic asks about: the gap to "out" is what did not generalise.
                    var outT = PolicyGrader.grade(trainer.model(), new EvaluationSet("traffic-out-of-knowledge",
                            task.facts().outOfKnowledge().subList(0, 200).stream().map(Fact::question).toList()),
                            PolicyGrader.sampled(5), 0);
                    System.out.printf("step %3d reward %.3f kl %.3f beta %.3f ent %.3f clip %.3f train %.0f ms | in %s | out %s | outT %s | %.1fs%n",
                            step, r.stat("reward_mean"), r.stat("kl"), r.stat("beta"), r.stat("entropy"),
                            r.stat("clip_fraction"), ms, rates(eval, "eval.in."), rates(eval, "eval.out."),
                            outT.summary(),
                            (System.nanoTime() - t0) / 1e9);
                }
            }
        }
        reference.close();
    }

    private static String rates(java.util.Map<String, Double> eval, String prefix) {
        return String.format("right %.1f%% refuse %.1f%% wrong %.1f%%", 100 * eval.get(prefix + "right"),
                100 * eval.get(prefix + "refuse"), 100 * eval.get(prefix + "wrong"));
    }
}
