package dev.flywheel.cli.learner;

import dev.flywheel.core.bootstrap.BootstrapOptions;
import dev.flywheel.learner.Algorithm;
import dev.flywheel.learner.LearnerConfig;
import dev.flywheel.learner.LearnerConfigBuilder;
import dev.flywheel.learner.dpo.PreferenceConfig;
import dev.flywheel.learner.ppo.KlPlacement;
import dev.flywheel.learner.ppo.PolicyGradientConfig;
import dev.flywheel.learner.ppo.RootBaseline;
import dev.flywheel.learner.publish.GuardBounds;
import dev.flywheel.runtime.topics.Topics;
import java.nio.file.Path;
import java.util.OptionalLong;
import picocli.CommandLine.Option;

/** The learner's hyper-parameters (DESIGN.md §4) as flags; unset ones take the algorithm's defaults. */
public final class LearnerOptions {

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64",
            description = "Examples per batch: rollouts, or preference pairs (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--mini-batches", paramLabel = "N", description = "Optimizer steps per pass over a batch "
            + "(default: 2 for ppo/grpo/rloo, 1 for dpo/ipo/rm).")
    Integer miniBatches;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "1", description = "Passes over each batch (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--learning-rate", paramLabel = "LR", description = "Adam step size (default: 1e-4 for ppo, grpo and rloo, 5e-5 for dpo "
            + "and ipo, 2e-5 for rm).")
    Float learningRate;

    @Option(names = "--clip-eps", paramLabel = "E", defaultValue = "0.2", description = "PPO ratio clip (default: ${DEFAULT-VALUE}).")
    float clipEps;

    @Option(names = "--value-clip", paramLabel = "E", defaultValue = "0.2", description = "PPO value clip (default: ${DEFAULT-VALUE}).")
    float valueClip;

    @Option(names = "--value-coef", paramLabel = "C", defaultValue = "0.5", description = "PPO value-loss weight (default: ${DEFAULT-VALUE}).")
    float valueCoef;

    @Option(names = "--entropy-coef", paramLabel = "C", defaultValue = "0.001", description = "Entropy bonus weight (default: ${DEFAULT-VALUE}).")
    float entropyCoef;

    @Option(names = "--gamma", paramLabel = "G", defaultValue = "1.0", description = "GAE discount γ (default: ${DEFAULT-VALUE}).")
    float gamma;

    @Option(names = "--lambda", paramLabel = "L", defaultValue = "1.0", description = "PPO: GAE λ; 1 weighs each "
            + "token's whole return, below 1 leans on the value head (InstructGPT: 0.95) (default: ${DEFAULT-VALUE}).")
    float lambda;

    @Option(names = "--beta", paramLabel = "B", description = "KL coefficient β at start (default: 0.05; for dpo/ipo "
            + "the preference β, default 0.1).")
    Double beta;

    @Option(names = "--target-kl", paramLabel = "NATS", defaultValue = "6.0", description = "Sequence KL the adaptive "
            + "controller steers β toward; 0 keeps β fixed (default: ${DEFAULT-VALUE}).")
    double targetKl;

    @Option(names = "--kl-in", paramLabel = "reward|loss", description = "Where the KL penalty acts: reward (k1, "
            + "InstructGPT) or loss (k3) (default: reward for ppo, loss for grpo/rloo).")
    KlPlacement klIn;

    @Option(names = "--importance-cap", paramLabel = "C", defaultValue = "2.0", description = "Truncation of the "
            + "importance weight π_old/π_behaviour for stale rollouts (default: ${DEFAULT-VALUE}).")
    float importanceCap;

    @Option(names = "--max-grad-norm", paramLabel = "N", defaultValue = "1.0", description = "Global gradient-norm clip (default: ${DEFAULT-VALUE}).")
    float maxGradNorm;

    @Option(names = "--critic-warmup-steps", paramLabel = "N", description = "PPO: first optimizer steps that train "
            + "only the fresh value head, so its baseline is sensible before it steers the policy (default: 30).")
    Integer criticWarmupSteps;

    @Option(names = "--root-baseline", paramLabel = "critic|group", defaultValue = "group", description = "PPO: "
            + "what a response is measured against at the states its prompt's samples share: critic (the value head, InstructGPT) or group (the mean return of the prompt's "
            + "other samples in the batch) (default: ${DEFAULT-VALUE}).")
    RootBaseline rootBaseline;

    @Option(names = "--label-smoothing", paramLabel = "E", defaultValue = "0.0", description = "DPO: assumed "
            + "label-flip probability (conservative DPO) (default: ${DEFAULT-VALUE}).")
    float labelSmoothing;

    @Option(names = "--max-staleness", paramLabel = "K", defaultValue = "4", description = "Drop rollouts sampled more "
            + "than K versions ago, counting them (default: ${DEFAULT-VALUE}).")
    long maxStaleness;

    @Option(names = "--group-wait-records", paramLabel = "N", defaultValue = "1000", description = "Records an "
            + "incomplete GRPO/RLOO group may wait for its last sample before it is dropped (default: ${DEFAULT-VALUE}).")
    long groupWaitRecords;

    @Option(names = "--publish-every", paramLabel = "K", defaultValue = "10", description = "Optimizer steps between "
            + "published versions (and checkpoints) (default: ${DEFAULT-VALUE}).")
    int publishEvery;

    @Option(names = "--max-kl", paramLabel = "NATS", defaultValue = "10.0", description = "Guard: never publish a "
            + "version whose KL to the reference exceeds this (default: ${DEFAULT-VALUE}).")
    double maxKl;

    @Option(names = "--max-kl-jump", paramLabel = "NATS", defaultValue = "3.0", description = "Guard: reward up while "
            + "the KL rises more than this in one interval is reward hacking (default: ${DEFAULT-VALUE}).")
    double maxKlJump;

    @Option(names = "--max-length-change", paramLabel = "F", defaultValue = "0.5", description = "Guard: reward up "
            + "while the mean response length moves by more than this fraction is reward hacking (default: ${DEFAULT-VALUE}).")
    double maxLengthChange;

    @Option(names = "--rm-pairs", description = "dpo/ipo: also train on best-vs-worst pairs of each RM-scored group "
            + "from fw.scored-rollouts.")
    boolean rmPairs;

    @Option(names = "--checkpoint-name", paramLabel = "NAME", description = "Checkpoint file under DIR/learner/ "
            + "(default: <model>-<algo>).")
    String checkpointName;

    @Option(names = "--task-seed", paramLabel = "N", defaultValue = "" + BootstrapOptions.SHIPPED_SEED, description = "Grade each published "
            + "policy on the default task built with this seed (the bootstrap's) (default: ${DEFAULT-VALUE}).")
    long taskSeed;

    @Option(names = "--no-evaluate", description = "Do not grade published policies (for models of another task).")
    boolean noEvaluate;

    @Option(names = "--from-latest", description = "On a first start (no checkpoint), begin at the end of the input "
            + "topics instead of their beginning.")
    boolean fromLatest;

    @Option(names = "--max-steps", paramLabel = "N", defaultValue = "0", description = "Stop after N optimizer steps; "
            + "0 runs until Ctrl-C (default: ${DEFAULT-VALUE}).")
    long maxSteps;

    /** The configuration these flags describe. */
    LearnerConfig config(Algorithm algo, Path store, String device, String group, Topics topics) {
        LearnerConfigBuilder b = LearnerConfig.builder(algo, store).topics(topics).device(device).batchSize(batchSize)
                .publishEvery(publishEvery).maxStaleness(maxStaleness).groupWaitRecords(groupWaitRecords)
                .targetKl(targetKl).guards(new GuardBounds(maxKl, maxKlJump, maxLengthChange)).rmPairs(rmPairs)
                .evaluateTaskSeed(noEvaluate ? OptionalLong.empty() : OptionalLong.of(taskSeed))
                .fromLatest(fromLatest).maxSteps(maxSteps);
        if (group != null) {
            b.consumerGroup(group);
        }
        if (checkpointName != null) {
            b.checkpointName(checkpointName);
        }
        if (algo.policyGradient()) {
            PolicyGradientConfig d = algo == Algorithm.PPO ? PolicyGradientConfig.ppo()
                    : PolicyGradientConfig.grouped(algo.flag());
            b.policyGradient(new PolicyGradientConfig(d.advantage(), learningRate != null ? learningRate
                    : d.learningRate(), epochs, miniBatches != null ? miniBatches : d.miniBatches(), clipEps,
                    valueClip, valueCoef, entropyCoef, gamma, lambda, klIn != null ? klIn : d.kl(), importanceCap,
                    maxGradNorm, d.seed(), criticWarmupSteps != null ? criticWarmupSteps : d.criticWarmupSteps(),
                    rootBaseline));
            b.initialBeta(beta != null ? beta : 0.05);
        } else {
            PreferenceConfig d = algo == Algorithm.RM ? PreferenceConfig.rewardModel()
                    : algo == Algorithm.IPO ? PreferenceConfig.ipo() : PreferenceConfig.dpo();
            b.preference(new PreferenceConfig(d.loss(), learningRate != null ? learningRate : d.learningRate(),
                    beta != null ? beta.floatValue() : d.beta(), labelSmoothing, epochs,
                    miniBatches != null ? miniBatches : d.miniBatches(), maxGradNorm));
        }
        return b.build();
    }
}
