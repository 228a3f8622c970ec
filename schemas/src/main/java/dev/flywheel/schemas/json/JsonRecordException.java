package dev.flywheel.schemas.json;

/**
 * A JSON line that is not a valid message: names the field path (e.g. {@code sampling.topK},
 * {@code lineage[2].topic}) and what was expected there.
 */
public final class JsonRecordException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String fieldPath;

  JsonRecordException(String fieldPath, String problem, Throwable cause) {
    super((fieldPath.isEmpty() ? "record" : "field '" + fieldPath + "'") + ": " + problem, cause);
    this.fieldPath = fieldPath;
  }

  static JsonRecordException expected(String fieldPath, String expected, String got) {
    return new JsonRecordException(fieldPath, "expected " + expected + ", got " + got, null);
  }

  /** Dotted path of the offending field; empty when the problem is the line as a whole. */
  public String fieldPath() {
    return fieldPath;
  }
}
