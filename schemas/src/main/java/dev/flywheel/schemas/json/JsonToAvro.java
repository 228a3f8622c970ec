package dev.flywheel.schemas.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.Conversion;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.Schema.Field;
import org.apache.avro.Schema.Type;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;

/**
 * Turns a JSON tree into an Avro datum of a schema, accepting both Avro's JSON encoding and the plain form
 * (see schemas/README.md); every error names the field path.
 */
final class JsonToAvro {

  private static final int MAX_SHOWN = 60;

  private final SpecificData model;
  private final Clock clock;

  JsonToAvro(SpecificData model, Clock clock) {
    this.model = model;
    this.clock = clock;
  }

  Object readMessage(JsonNode node, Schema schema) {
    return readRecord(node, schema, "", true);
  }

  private Object read(JsonNode node, Schema schema, String path) {
    Object raw = switch (schema.getType()) {
      case RECORD -> readRecord(node, schema, path, false);
      case UNION -> readUnion(node, schema, path);
      case ENUM -> readEnum(node, schema, path);
      case ARRAY -> readArray(node, schema, path);
      case MAP -> readMap(node, schema, path);
      default -> readPrimitive(node, schema, path);
    };
    return toLogical(raw, schema);
  }

  private Object readRecord(JsonNode node, Schema schema, String path, boolean message) {
    if (!node.isObject()) {
      throw JsonRecordException.expected(path, "a JSON object (record " + schema.getName() + ")", shown(node));
    }
    rejectUnknownFields(node, schema, path);
    IndexedRecord record = (IndexedRecord) model.newRecord(null, schema);
    for (Field field : schema.getFields()) {
      String fieldPath = path.isEmpty() ? field.name() : path + "." + field.name();
      JsonNode value = node.get(field.name());
      if (value != null) {
        record.put(field.pos(), read(value, field.schema(), fieldPath));
      } else if (field.hasDefaultValue()) {
        record.put(field.pos(), model.deepCopy(field.schema(), model.getDefaultValue(field)));
      } else if (message && isEventTime(field)) {
        record.put(field.pos(), toLogical(clock.millis(), field.schema()));
      } else {
        throw new JsonRecordException(fieldPath, "missing; it is required (" + describe(field.schema())
            + ", no default)", null);
      }
    }
    return record;
  }

  private static void rejectUnknownFields(JsonNode node, Schema schema, String path) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (schema.getField(name) == null) {
        String known = schema.getFields().stream().map(Field::name).collect(Collectors.joining(", "));
        throw new JsonRecordException(path.isEmpty() ? name : path + "." + name,
            "unknown field of " + schema.getName() + "; its fields are " + known, null);
      }
    }
  }

  private static boolean isEventTime(Field field) {
    return field.name().equals("ts") && field.schema().getLogicalType() instanceof LogicalTypes.TimestampMillis;
  }

  private Object readUnion(JsonNode node, Schema union, String path) {
    List<Schema> branches = union.getTypes();
    if (node.isNull()) {
      if (union.isNullable()) {
        return null;
      }
      throw JsonRecordException.expected(path, describe(union), "null");
    }
    Schema wrapped = wrappedBranch(node, branches);
    if (wrapped != null) {
      return read(node.elements().next(), wrapped, path);
    }
    List<Schema> candidates = branches.stream().filter(b -> b.getType() != Type.NULL).toList();
    if (candidates.size() == 1) {
      return read(node, candidates.get(0), path);
    }
    for (Schema branch : candidates) {
      try {
        return read(node, branch, path);
      } catch (JsonRecordException notThisBranch) {
        // try the next branch; the plain form does not say which one it means
      }
    }
    throw JsonRecordException.expected(path, describe(union), shown(node));
  }

  /** Avro's JSON encoding writes a non-null union value as {"branch name": value}. */
  private static Schema wrappedBranch(JsonNode node, List<Schema> branches) {
    if (!node.isObject() || node.size() != 1) {
      return null;
    }
    String key = node.fieldNames().next();
    for (Schema branch : branches) {
      if (branch.getType() != Type.NULL && (key.equals(branch.getFullName()) || key.equals(branch.getName()))) {
        return branch;
      }
    }
    return null;
  }

  private Object readEnum(JsonNode node, Schema schema, String path) {
    if (node.isTextual() && schema.hasEnumSymbol(node.textValue())) {
      return model.createEnum(node.textValue(), schema);
    }
    return fail(path, "one of " + schema.getEnumSymbols(), node);
  }

  private Object readArray(JsonNode node, Schema schema, String path) {
    if (!node.isArray()) {
      return fail(path, "a JSON array of " + describe(schema.getElementType()), node);
    }
    List<Object> items = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      items.add(read(node.get(i), schema.getElementType(), path + "[" + i + "]"));
    }
    return items;
  }

  private Object readMap(JsonNode node, Schema schema, String path) {
    if (!node.isObject()) {
      return fail(path, "a JSON object of " + describe(schema.getValueType()) + " values", node);
    }
    Map<String, Object> map = new HashMap<>();
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      map.put(entry.getKey(), read(entry.getValue(), schema.getValueType(), path + "[\"" + entry.getKey() + "\"]"));
    }
    return map;
  }

  private Object readPrimitive(JsonNode node, Schema schema, String path) {
    return switch (schema.getType()) {
      case STRING -> node.isTextual() ? node.textValue() : fail(path, "string", node);
      case INT -> node.isIntegralNumber() && node.canConvertToInt() ? (Object) node.intValue() : fail(path, "int", node);
      case LONG -> readLong(node, schema, path);
      case FLOAT -> (float) readFloating(node, path, "float");
      case DOUBLE -> readFloating(node, path, "double");
      case BOOLEAN -> node.isBoolean() ? (Object) node.booleanValue() : fail(path, "boolean", node);
      case NULL -> node.isNull() ? null : fail(path, "null", node);
      case BYTES -> ByteBuffer.wrap(base64(node, path, "bytes (base64)"));
      case FIXED -> readFixed(node, schema, path);
      default -> throw new IllegalStateException("not a primitive type: " + schema);
    };
  }

  private Object readLong(JsonNode node, Schema schema, String path) {
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return node.longValue();
    }
    if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
      if (node.isTextual()) {
        try {
          return Instant.parse(node.textValue()).toEpochMilli();
        } catch (DateTimeParseException e) {
          // fall through to the error below, which says both accepted forms
        }
      }
      return fail(path, "long (epoch milliseconds) or an ISO-8601 instant such as \"2026-01-31T12:00:00Z\"", node);
    }
    return fail(path, "long", node);
  }

  private static double readFloating(JsonNode node, String path, String type) {
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isTextual()) {
      switch (node.textValue()) {
        case "NaN": return Double.NaN;
        case "Infinity": return Double.POSITIVE_INFINITY;
        case "-Infinity": return Double.NEGATIVE_INFINITY;
        default: break;
      }
    }
    throw JsonRecordException.expected(path, type + " (a number, \"NaN\", \"Infinity\" or \"-Infinity\")", shown(node));
  }

  private Object readFixed(JsonNode node, Schema schema, String path) {
    byte[] bytes = base64(node, path, schema.getFixedSize() + " bytes (base64)");
    if (bytes.length != schema.getFixedSize()) {
      return fail(path, schema.getFixedSize() + " bytes (base64)", node);
    }
    return model.createFixed(null, bytes, schema);
  }

  private static byte[] base64(JsonNode node, String path, String expected) {
    if (node.isTextual()) {
      try {
        return Base64.getDecoder().decode(node.textValue());
      } catch (IllegalArgumentException e) {
        // reported below
      }
    }
    throw JsonRecordException.expected(path, expected, shown(node));
  }

  private Object toLogical(Object raw, Schema schema) {
    LogicalType logicalType = schema.getLogicalType();
    if (raw == null || logicalType == null) {
      return raw;
    }
    Conversion<?> conversion = model.getConversionFor(logicalType);
    return conversion == null ? raw : Conversions.convertToLogicalType(raw, schema, logicalType, conversion);
  }

  private static Object fail(String path, String expected, JsonNode node) {
    throw JsonRecordException.expected(path, expected, shown(node));
  }

  static String describe(Schema schema) {
    return switch (schema.getType()) {
      case RECORD, ENUM, FIXED -> schema.getName();
      case ARRAY -> "array of " + describe(schema.getElementType());
      case MAP -> "map of " + describe(schema.getValueType());
      case UNION -> schema.getTypes().stream().map(JsonToAvro::describe).collect(Collectors.joining(" or "));
      default -> schema.getLogicalType() != null
          ? schema.getType().getName() + " (" + schema.getLogicalType().getName() + ")"
          : schema.getType().getName();
    };
  }

  private static String shown(JsonNode node) {
    String text = node.toString();
    return text.length() <= MAX_SHOWN ? text : text.substring(0, MAX_SHOWN) + "...";
  }
}
