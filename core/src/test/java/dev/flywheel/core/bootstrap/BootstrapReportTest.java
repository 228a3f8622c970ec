package dev.flywheel.core.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.flywheel.core.model.ModelConfig;
import dev.flywheel.core.task.Verdict;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootstrapReportTest {

    private static final String SHA_A = "a".repeat(64);
    private static final String SHA_B = "b".repeat(64);

    @Test
    void verdictRatesCountEachVerdict() {
        List<Verdict> verdicts = new ArrayList<>();
        verdicts.addAll(Collections.nCopies(7, Verdict.RIGHT));
        verdicts.addAll(Collections.nCopies(2, Verdict.WRONG));
        verdicts.add(Verdict.REFUSE);
        VerdictRates r = VerdictRates.of(verdicts);
        assertThat(r.right()).isCloseTo(0.7, within(1e-12));
        assertThat(r.refuse()).isCloseTo(0.1, within(1e-12));
        assertThat(r.wrong()).isCloseTo(0.2, within(1e-12));
        assertThat(r.count()).isEqualTo(10);
        assertThat(r.summary()).isEqualTo("right 70.0% refuse 10.0% wrong 20.0% (n=10)");
    }

    @Test
    void namesEachMissedQualityTargetWithItsNumber() {
        BootstrapReport good = report(0.95, 0.80, 0.90);
        assertThat(good.missedTargets()).isEmpty();
        assertThat(good.toTable()).contains("quality targets: all met");

        BootstrapReport bad = report(0.85, 0.60, 0.80);
        assertThat(bad.missedTargets()).containsExactly(
                "SFT in-knowledge right 85.0% < 90%",
                "SFT out-of-knowledge wrong 60.0% < 70%",
                "reward-model held-out accuracy 80.0% < 85%");
        assertThat(bad.toTable()).contains("quality targets MISSED");
    }

    @Test
    void tableAndManifestCarryTheNumbersAndHashes(@TempDir Path dir) {
        BootstrapReport r = report(0.95, 0.80, 0.90);
        String table = r.toTable();
        assertThat(table).contains("pre-train", "95.0%", "80.0%", "90.0%", SHA_A, SHA_B, "d=128");
        Map<String, String> p = r.toProperties();
        assertThat(p).containsEntry("sft.greedy.in-knowledge.right", "0.9500")
                .containsEntry("sft.sampled-T1.out-of-knowledge.wrong", "0.8000")
                .containsEntry("reward-model.accuracy", "0.9000")
                .containsEntry("stage.pre-train.steps", "2000");

        BootstrapManifest.write(dir, BootstrapOptions.full(dir, 5), r);
        BootstrapManifest read = BootstrapManifest.read(dir);
        assertThat(read.refs()).containsExactly(Map.entry("policy-v0", SHA_A), Map.entry("reference", SHA_A),
                Map.entry("reward-model", SHA_B));
        assertThat(read.command()).isEqualTo("flywheel bootstrap --out " + dir + " --seed 5");
        assertThat(read.get("report.reward-model.accuracy")).contains("0.9000");
    }

    @Test
    void progressLineShowsStageStepLossRateAndEta() {
        Progress p = new Progress(Stage.SFT, 120, 400, 0.81234, 6.9, Duration.ofSeconds(41));
        assertThat(p.line()).isEqualTo("sft 120/400 loss 0.8123 6.9 steps/s eta 41s");
        assertThat(p.fraction()).isCloseTo(0.3, within(1e-12));
        assertThat(new Progress(Stage.WRITE, 1, 2, Double.NaN, 40, Duration.ZERO).line())
                .isEqualTo("write 1/2 40.0 steps/s eta 0s");
    }

    private static Map<String, String> models() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("policy-v0", SHA_A);
        m.put("reference", SHA_A);
        m.put("reward-model", SHA_B);
        return m;
    }

    private static BootstrapReport report(double inRight, double outWrong, double rmAccuracy) {
        VerdictRates in = new VerdictRates(inRight, 0.0, 1 - inRight, 300);
        VerdictRates out = new VerdictRates(0.0, 1 - outWrong, outWrong, 200);
        List<StageResult> stages = List.of(
                new StageResult(Stage.PRETRAIN, 2000, 3.1, 0.3, Duration.ofSeconds(200)),
                new StageResult(Stage.SFT, 600, 1.2, 0.2, Duration.ofSeconds(60)));
        return new BootstrapReport(5, false, "cpu", new ModelConfig(100, 128, 4, 2, 64, 4, 0f, false), stages,
                List.of(new PolicyEvaluation("greedy", in, out), new PolicyEvaluation("sampled T=1", in, out)),
                new RewardModelEvaluation(rmAccuracy, rmAccuracy, rmAccuracy, 2000, 0.9),
                models(), Duration.ofSeconds(400));
    }
}
