package dev.flywheel.schemas.serde;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The one exception a Flywheel deserializer throws for bytes it cannot turn into a message: not Avro
 * single-object encoding, written with a schema this reader does not know, or a body that does not match.
 *
 * <p>Kafka's {@code Deserializer} is not told the partition and offset; callers that know them add them with
 * {@link #at(int, long)} so logs and dead letters say exactly which record it was.
 */
public final class UndecodableRecordException extends SerializationException {

  private static final long serialVersionUID = 1L;

  /** What is wrong with the bytes. */
  public enum Reason {
    /** The bytes do not start with the single-object marker C3 01 followed by an 8-byte fingerprint. */
    NOT_SINGLE_OBJECT_ENCODING,
    /** The writer's schema fingerprint is not a released version of the expected message. */
    UNKNOWN_SCHEMA,
    /** The header is fine but the body does not decode with the writer's schema. */
    CORRUPT_BODY
  }

  private final String messageName;
  private final Reason reason;
  private final String detail;
  private final String topic;
  private final Integer partition;
  private final Long offset;

  /** An exception for a record of topic {@code topic} (may be null) whose partition and offset are unknown. */
  public UndecodableRecordException(String messageName, Reason reason, String detail, String topic,
      Throwable cause) {
    this(messageName, reason, detail, topic, null, null, cause);
  }

  private UndecodableRecordException(String messageName, Reason reason, String detail, String topic,
      Integer partition, Long offset, Throwable cause) {
    super(describe(messageName, detail, topic, partition, offset), cause);
    this.messageName = messageName;
    this.reason = reason;
    this.detail = detail;
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
  }

  /** The same failure, located at a partition and offset (of {@link #topic()}). */
  public UndecodableRecordException at(int partition, long offset) {
    UndecodableRecordException located =
        new UndecodableRecordException(messageName, reason, detail, topic, partition, offset, getCause());
    located.setStackTrace(getStackTrace());
    return located;
  }

  /** The same failure, located at a topic, partition and offset. */
  public UndecodableRecordException at(String topic, int partition, long offset) {
    UndecodableRecordException located =
        new UndecodableRecordException(messageName, reason, detail, topic, partition, offset, getCause());
    located.setStackTrace(getStackTrace());
    return located;
  }

  /** Name of the message the bytes were expected to hold, e.g. {@code Prompt}. */
  public String messageName() {
    return messageName;
  }

  /** What is wrong. */
  public Reason reason() {
    return reason;
  }

  /** The reason in words, without the location. */
  public String detail() {
    return detail;
  }

  /** Topic of the record, when known. */
  public Optional<String> topic() {
    return Optional.ofNullable(topic);
  }

  /** Partition of the record, when known. */
  public OptionalInt partition() {
    return partition == null ? OptionalInt.empty() : OptionalInt.of(partition);
  }

  /** Offset of the record, when known. */
  public OptionalLong offset() {
    return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
  }

  private static String describe(String messageName, String detail, String topic, Integer partition, Long offset) {
    StringBuilder where = new StringBuilder("cannot decode ").append(messageName);
    if (topic != null) {
      where.append(" from topic '").append(topic).append('\'');
    }
    if (partition != null) {
      where.append(" partition ").append(partition);
    }
    if (offset != null) {
      where.append(" offset ").append(offset);
    }
    return where.append(": ").append(detail).toString();
  }
}
