package dev.flywheel.schemas.serde;

import dev.flywheel.schemas.Feedback;
import dev.flywheel.schemas.MetricPoint;
import dev.flywheel.schemas.PolicyVersion;
import dev.flywheel.schemas.PreferencePair;
import dev.flywheel.schemas.Prompt;
import dev.flywheel.schemas.Rollout;
import dev.flywheel.schemas.ScoredRollout;
import org.apache.avro.specific.SpecificRecord;

/** Factories of the serde of each Flywheel message, reading every released version of its schema. */
public final class AvroSerdes {

  private AvroSerdes() {}

  /** Serde of {@link Prompt} (fw.prompts). */
  public static AvroSerde<Prompt> prompt() {
    return AvroSerde.of(Prompt.class);
  }

  /** Serde of {@link Rollout} (fw.rollouts). */
  public static AvroSerde<Rollout> rollout() {
    return AvroSerde.of(Rollout.class);
  }

  /** Serde of {@link Feedback} (fw.feedback). */
  public static AvroSerde<Feedback> feedback() {
    return AvroSerde.of(Feedback.class);
  }

  /** Serde of {@link ScoredRollout} (fw.scored-rollouts). */
  public static AvroSerde<ScoredRollout> scoredRollout() {
    return AvroSerde.of(ScoredRollout.class);
  }

  /** Serde of {@link PreferencePair} (fw.preferences). */
  public static AvroSerde<PreferencePair> preferencePair() {
    return AvroSerde.of(PreferencePair.class);
  }

  /** Serde of {@link PolicyVersion} (fw.policy-versions). */
  public static AvroSerde<PolicyVersion> policyVersion() {
    return AvroSerde.of(PolicyVersion.class);
  }

  /** Serde of {@link MetricPoint} (fw.metrics). */
  public static AvroSerde<MetricPoint> metricPoint() {
    return AvroSerde.of(MetricPoint.class);
  }

  /** Serde of any generated message class of this module. */
  public static <T extends SpecificRecord> AvroSerde<T> forType(Class<T> type) {
    return AvroSerde.of(type);
  }
}
