package dev.flywheel.schemas;

import dev.flywheel.schemas.history.WriterSchemas;
import dev.flywheel.schemas.serde.SingleObjectHeader;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificRecord;

/** The catalogue of Flywheel's messages (DESIGN.md section 3), found by schema name or by class. */
public final class Messages {

  private static final List<MessageType<?>> ALL = List.of(
      MessageType.of(Prompt.class),
      MessageType.of(Rollout.class),
      MessageType.of(Feedback.class),
      MessageType.of(ScoredRollout.class),
      MessageType.of(PreferencePair.class),
      MessageType.of(PolicyVersion.class),
      MessageType.of(MetricPoint.class));

  private static final Map<String, MessageType<?>> BY_NAME = index();

  private static final Map<Long, MessageType<?>> BY_FINGERPRINT = indexFingerprints();

  private Messages() {}

  /** Every message, in the order of the pipeline. */
  public static List<MessageType<?>> all() {
    return ALL;
  }

  /** Names of every message, e.g. {@code Prompt}. */
  public static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }

  /**
   * The message with schema name {@code name} (e.g. {@code Prompt} or {@code dev.flywheel.schemas.Prompt}).
   *
   * @throws IllegalArgumentException naming the known messages, when there is none of that name
   */
  public static MessageType<?> byName(String name) {
    String simple = name.startsWith("dev.flywheel.schemas.") ? name.substring("dev.flywheel.schemas.".length()) : name;
    MessageType<?> message = BY_NAME.get(simple);
    if (message == null) {
      throw new IllegalArgumentException("no message named '" + name + "'; known messages are " + names());
    }
    return message;
  }

  /** The message of generated class {@code type}. */
  @SuppressWarnings("unchecked")
  public static <T extends SpecificRecord> MessageType<T> forType(Class<T> type) {
    for (MessageType<?> message : ALL) {
      if (message.type() == type) {
        return (MessageType<T>) message;
      }
    }
    throw new IllegalArgumentException(type.getName() + " is not a Flywheel message; known messages are " + names());
  }

  /**
   * The message whose released schema wrote {@code encoded} (single-object encoding names its writer by
   * fingerprint), so a tool can decode a record without knowing its topic; empty for bytes that are not a
   * Flywheel record.
   */
  public static Optional<MessageType<?>> ofEncoded(byte[] encoded) {
    OptionalLong fingerprint = SingleObjectHeader.fingerprint(encoded);
    return fingerprint.isPresent()
        ? Optional.ofNullable(BY_FINGERPRINT.get(fingerprint.getAsLong()))
        : Optional.empty();
  }

  private static Map<Long, MessageType<?>> indexFingerprints() {
    Map<Long, MessageType<?>> byFingerprint = new HashMap<>();
    for (MessageType<?> message : ALL) {
      for (long fingerprint : WriterSchemas.bundledFor(message.schema()).fingerprints()) {
        byFingerprint.put(fingerprint, message);
      }
      byFingerprint.put(SchemaNormalization.parsingFingerprint64(message.schema()), message);
    }
    return Map.copyOf(byFingerprint);
  }

  private static Map<String, MessageType<?>> index() {
    Map<String, MessageType<?>> byName = new LinkedHashMap<>();
    ALL.forEach(m -> byName.put(m.name(), m));
    return Collections.unmodifiableMap(byName);
  }
}
