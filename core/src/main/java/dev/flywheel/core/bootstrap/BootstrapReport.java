package dev.flywheel.core.bootstrap;

import dev.flywheel.core.model.ModelConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a bootstrap run produced: the SFT policy's right / refuse / wrong rates, the reward model's held-out
 * accuracy, each stage's steps and losses, and the sha256 of every model written under its store ref.
 *
 * @param seed        the run's seed
 * @param quick       whether this was the quick (smoke) run
 * @param device      the device trained on
 * @param policy      the policy's network shape
 * @param stages      each stage, in order
 * @param sft         the SFT policy's evaluations (greedy first, then sampled if measured)
 * @param rewardModel the reward model's held-out accuracy
 * @param models      store ref → sha256 ({@code policy-v0}, {@code reference}, {@code reward-model})
 * @param wallTime    total wall time
 */
public record BootstrapReport(long seed, boolean quick, String device, ModelConfig policy, List<StageResult> stages,
                              List<PolicyEvaluation> sft, RewardModelEvaluation rewardModel, Map<String, String> models,
                              Duration wallTime) {

    /** Minimum in-knowledge right rate of the SFT policy (greedy) the full run must reach. */
    public static final double MIN_IN_KNOWLEDGE_RIGHT = 0.90;
    /** Minimum out-of-knowledge wrong (hallucination) rate of the SFT policy (greedy) the full run must show. */
    public static final double MIN_OUT_OF_KNOWLEDGE_WRONG = 0.70;
    /** Minimum held-out pairwise accuracy of the reward model. */
    public static final double MIN_REWARD_ACCURACY = 0.85;

    /** Copies the collections. */
    public BootstrapReport {
        stages = List.copyOf(stages);
        sft = List.copyOf(sft);
        models = new LinkedHashMap<>(models);
    }

    /** The greedy-decoding evaluation of the SFT policy. */
    public PolicyEvaluation greedy() {
        return sft.get(0);
    }

    /** The quality targets this run misses (empty when all hold); the quick run is not expected to meet them. */
    public List<String> missedTargets() {
        List<String> missed = new ArrayList<>();
        if (greedy().inKnowledge().right() < MIN_IN_KNOWLEDGE_RIGHT) {
            missed.add(String.format(Locale.ROOT, "SFT in-knowledge right %.1f%% < %.0f%%",
                    100 * greedy().inKnowledge().right(), 100 * MIN_IN_KNOWLEDGE_RIGHT));
        }
        if (greedy().outOfKnowledge().wrong() < MIN_OUT_OF_KNOWLEDGE_WRONG) {
            missed.add(String.format(Locale.ROOT, "SFT out-of-knowledge wrong %.1f%% < %.0f%%",
                    100 * greedy().outOfKnowledge().wrong(), 100 * MIN_OUT_OF_KNOWLEDGE_WRONG));
        }
        if (rewardModel.accuracy() < MIN_REWARD_ACCURACY) {
            missed.add(String.format(Locale.ROOT, "reward-model held-out accuracy %.1f%% < %.0f%%",
                    100 * rewardModel.accuracy(), 100 * MIN_REWARD_ACCURACY));
        }
        return missed;
    }

    /** A plain-text table for the terminal. */
    public String toTable() {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "Flywheel bootstrap  seed %d  %s  device %s  model d=%d heads=%d layers=%d "
                        + "context=%d  wall %.1f s%n", seed, quick ? "QUICK" : "full", device, policy.dModel(),
                policy.heads(), policy.layers(), policy.context(), wallTime.toMillis() / 1000.0));
        t.append(String.format(Locale.ROOT, "%n%-14s %7s %12s %12s %9s%n", "stage", "steps", "first loss",
                "final loss", "time"));
        for (StageResult s : stages) {
            t.append(String.format(Locale.ROOT, "%-14s %7d %12s %12s %8.1fs%n", s.stage().label(), s.steps(),
                    loss(s.firstLoss()), loss(s.finalLoss()), s.time().toMillis() / 1000.0));
        }
        t.append(String.format(Locale.ROOT, "%nSFT policy v0        %-18s %7s %7s %7s %6s%n", "questions", "right",
                "refuse", "wrong", "n"));
        for (PolicyEvaluation e : sft) {
            row(t, e.decoding(), "in-knowledge", e.inKnowledge());
            row(t, e.decoding(), "out-of-knowledge", e.outOfKnowledge());
        }
        t.append(String.format(Locale.ROOT, "%nreward model  held-out pairwise accuracy %.1f%% (in-knowledge %.1f%%, "
                        + "out-of-knowledge %.1f%%, n=%d; trained on rater labels %.1f%% correct)%n",
                100 * rewardModel.accuracy(), 100 * rewardModel.inKnowledgeAccuracy(),
                100 * rewardModel.outOfKnowledgeAccuracy(), rewardModel.comparisons(),
                100 * rewardModel.trainingLabelAccuracy()));
        t.append(System.lineSeparator()).append("models").append(System.lineSeparator());
        models.forEach((ref, sha) -> t.append(String.format(Locale.ROOT, "  %-13s %s%n", ref, sha)));
        if (!quick) {
            List<String> missed = missedTargets();
            t.append(System.lineSeparator()).append(missed.isEmpty()
                    ? "quality targets: all met (in-knowledge right >= 90%, out-of-knowledge wrong >= 70%, RM >= 85%)"
                    : "quality targets MISSED: " + String.join("; ", missed)).append(System.lineSeparator());
        }
        return t.toString();
    }

    /** The report's numbers as sorted {@code key=value} pairs, for the manifest. */
    public Map<String, String> toProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("seed", Long.toString(seed));
        p.put("quick", Boolean.toString(quick));
        p.put("device", device);
        for (PolicyEvaluation e : sft) {
            String k = "sft." + e.decoding().replace(' ', '-').replace("=", "") + ".";
            rates(p, k + "in-knowledge.", e.inKnowledge());
            rates(p, k + "out-of-knowledge.", e.outOfKnowledge());
        }
        p.put("reward-model.accuracy", num(rewardModel.accuracy()));
        p.put("reward-model.in-knowledge-accuracy", num(rewardModel.inKnowledgeAccuracy()));
        p.put("reward-model.out-of-knowledge-accuracy", num(rewardModel.outOfKnowledgeAccuracy()));
        p.put("reward-model.comparisons", Integer.toString(rewardModel.comparisons()));
        for (StageResult s : stages) {
            p.put("stage." + s.stage().label() + ".steps", Integer.toString(s.steps()));
            p.put("stage." + s.stage().label() + ".final-loss", num(s.finalLoss()));
        }
        p.put("wall-seconds", String.format(Locale.ROOT, "%.1f", wallTime.toMillis() / 1000.0));
        return p;
    }

    private static void rates(Map<String, String> p, String prefix, VerdictRates r) {
        p.put(prefix + "right", num(r.right()));
        p.put(prefix + "refuse", num(r.refuse()));
        p.put(prefix + "wrong", num(r.wrong()));
        p.put(prefix + "n", Integer.toString(r.count()));
    }

    private static void row(StringBuilder t, String decoding, String set, VerdictRates r) {
        t.append(String.format(Locale.ROOT, "  %-18s %-18s %6.1f%% %6.1f%% %6.1f%% %6d%n", decoding, set,
                100 * r.right(), 100 * r.refuse(), 100 * r.wrong(), r.count()));
    }

    private static String loss(double x) {
        return Double.isNaN(x) ? "-" : String.format(Locale.ROOT, "%.4f", x);
    }

    private static String num(double x) {
        return String.format(Locale.ROOT, "%.4f", x);
    }
}
