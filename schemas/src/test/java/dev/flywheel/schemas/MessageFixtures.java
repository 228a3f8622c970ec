package dev.flywheel.schemas;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.specific.SpecificRecord;

/** Realistic, deterministic sample messages for tests; a rollout is about 1.2 KB encoded. */
public final class MessageFixtures {

  public static final Instant TS = Instant.parse("2026-11-27T21:00:00.123Z");

  private MessageFixtures() {}

  /** One sample of every message type, in catalogue order. */
  public static List<SpecificRecord> oneOfEach() {
    return List.of(prompt(1), rollout(1), feedback(1), scoredRollout(1), preferencePair(1), policyVersion(1),
        metricPoint(1));
  }

  public static Prompt prompt(int n) {
    return Prompt.newBuilder()
        .setId("p-" + n)
        .setTs(TS.plusMillis(n))
        .setTenant("acme")
        .setText("What is " + (17 + n) + " * 23? Answer with a number or say I don't know.")
        .setMetadata(Map.of("task.kind", "arithmetic", "task.knowledge", n % 2 == 0 ? "in" : "out",
            "task.answer", Integer.toString((17 + n) * 23)))
        .build();
  }

  public static Rollout rollout(int n) {
    Random random = new Random(n);
    Prompt prompt = prompt(n);
    int responseLength = 160;
    return Rollout.newBuilder()
        .setId("r-" + n)
        .setTs(TS.plusMillis(1000 + n))
        .setPromptId(prompt.getId())
        .setTenant(prompt.getTenant())
        .setPrompt(prompt.getText())
        .setPromptTokenIds(tokens(random, prompt.getText().length()))
        .setResponse("The product is " + (17 + n) * 23 + ". " + "I computed it step by step. ".repeat(3))
        .setResponseTokenIds(tokens(random, responseLength))
        .setBehaviourLogProbs(logProbs(random, responseLength))
        .setPolicyVersion(7)
        .setSampling(SamplingParams.newBuilder()
            .setTemperature(0.9f).setTopK(40).setTopP(0.95f).setMaxNewTokens(128).setSeed(1000L + n).build())
        .setGroupId("g-" + n)
        .setGroupIndex(n % 4)
        .setGroupSize(4)
        .setFinishReason(FinishReason.EOS)
        .setMetadata(prompt.getMetadata())
        .build();
  }

  public static Feedback feedback(int n) {
    return Feedback.newBuilder()
        .setId("f-" + n)
        .setTs(TS.plusMillis(5000 + n))
        .setResponseId("r-" + n)
        .setKind(FeedbackKind.PAIRWISE)
        .setValue(1.0)
        .setOtherResponseId("r-" + (n + 1))
        .setRaterId("rater-" + (n % 3))
        .setPromptId("p-" + n)
        .build();
  }

  public static ScoredRollout scoredRollout(int n) {
    Rollout rollout = rollout(n);
    Random random = new Random(31L * n);
    int length = rollout.getResponseTokenIds().size();
    return ScoredRollout.newBuilder()
        .setId(rollout.getId())
        .setTs(TS.plusMillis(2000 + n))
        .setRolloutId(rollout.getId())
        .setPromptId(rollout.getPromptId())
        .setPolicyVersion(rollout.getPolicyVersion())
        .setRollout(rollout)
        .setRewardSource(RewardSource.RM_AND_JUDGE)
        .setRmScore(0.75)
        .setRmVersion(3L)
        .setJudgeLabel(JudgeLabel.RIGHT)
        .setJudgeReward(1.0)
        .setReward(0.875)
        .setReferenceVersion(0L)
        .setReferenceLogProbs(logProbs(random, length))
        .setKlK1(logProbs(random, length))
        .setKlK3(logProbs(random, length))
        .setSequenceKl(0.0421)
        .setShapedRewards(logProbs(random, length))
        .setBeta(0.05)
        .build();
  }

  public static PreferencePair preferencePair(int n) {
    Random random = new Random(7L * n);
    return PreferencePair.newBuilder()
        .setId("pair-" + n)
        .setTs(TS.plusMillis(9000 + n))
        .setPromptId("p-" + n)
        .setPrompt(prompt(n).getText())
        .setPromptTokenIds(tokens(random, 40))
        .setChosen("I don't know.")
        .setChosenTokenIds(tokens(random, 13))
        .setChosenRolloutId("r-" + n)
        .setRejected("It is 5.")
        .setRejectedTokenIds(tokens(random, 8))
        .setRejectedRolloutId("r-" + (n + 1))
        .setPolicyVersion(7L)
        .setSource(PreferenceSource.HUMAN)
        .setMargin(0.3333)
        .setAgreement(0.6667)
        .setRaterIds(List.of("rater-0", "rater-1", "rater-2"))
        .setFeedbackIds(List.of("f-1", "f-2", "f-3"))
        .build();
  }

  public static PolicyVersion policyVersion(int n) {
    return PolicyVersion.newBuilder()
        .setId("policy@" + n)
        .setTs(TS.plusMillis(60_000 + n))
        .setModel("policy")
        .setVersion(n)
        .setParent(n > 0 ? (long) n - 1 : null)
        .setStep(100L * n)
        .setSha256("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
        .setUri("file:/models/policy/sha256-9f86d081.zip")
        .setSizeBytes(4_194_304L)
        .setBeta(0.05)
        .setAlgo("ppo")
        .setMetrics(Map.of("reward.mean", 0.41, "kl.mean", 0.02))
        .setLineage(List.of(
            OffsetRange.newBuilder().setTopic("fw.scored-rollouts").setPartition(0).setFromOffset(100).setToOffset(164).build(),
            OffsetRange.newBuilder().setTopic("fw.scored-rollouts").setPartition(1).setFromOffset(90).setToOffset(150).build()))
        .build();
  }

  public static MetricPoint metricPoint(int n) {
    return MetricPoint.newBuilder()
        .setId("scorer.reward.mean/7/" + n)
        .setTs(TS.plusMillis(10_000L * n))
        .setSeries("scorer.reward.mean")
        .setKind(MetricKind.STAT)
        .setValue(0.42)
        .setPolicyVersion(7L)
        .setWindowStart(TS.plusMillis(10_000L * (n - 1)))
        .setWindowEnd(TS.plusMillis(10_000L * n))
        .setCount(512L)
        .setTags(Map.of("component", "scorer", "knowledge", "out"))
        .build();
  }

  private static List<Integer> tokens(Random random, int count) {
    List<Integer> ids = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ids.add(random.nextInt(96));
    }
    return ids;
  }

  private static List<Float> logProbs(Random random, int count) {
    List<Float> values = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      values.add((float) -(random.nextDouble() * 4.0));
    }
    return values;
  }
}
