package dev.flywheel.schemas.json;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.Conversion;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.Schema.Field;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.specific.SpecificData;

/** Writes an Avro datum in the plain JSON form: unions as bare values, enums as strings, bytes as base64. */
final class AvroToJson {

  private final SpecificData model;

  AvroToJson(SpecificData model) {
    this.model = model;
  }

  void write(JsonGenerator out, Object datum, Schema schema) throws IOException {
    Object value = toRaw(datum, schema);
    switch (schema.getType()) {
      case RECORD -> writeRecord(out, value, schema);
      case UNION -> write(out, value, schema.getTypes().get(model.resolveUnion(schema, value)));
      case ENUM, STRING -> out.writeString(value.toString());
      case ARRAY -> {
        out.writeStartArray();
        for (Object item : (Collection<?>) value) {
          write(out, item, schema.getElementType());
        }
        out.writeEndArray();
      }
      case MAP -> {
        out.writeStartObject();
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
          out.writeFieldName(entry.getKey().toString());
          write(out, entry.getValue(), schema.getValueType());
        }
        out.writeEndObject();
      }
      case INT -> out.writeNumber(((Number) value).intValue());
      case LONG -> out.writeNumber(((Number) value).longValue());
      case FLOAT -> writeFloat(out, (Float) value);
      case DOUBLE -> writeDouble(out, (Double) value);
      case BOOLEAN -> out.writeBoolean((Boolean) value);
      case NULL -> out.writeNull();
      case BYTES -> {
        ByteBuffer buffer = ((ByteBuffer) value).duplicate();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        out.writeString(Base64.getEncoder().encodeToString(bytes));
      }
      case FIXED -> out.writeString(Base64.getEncoder().encodeToString(((GenericFixed) value).bytes()));
      default -> throw new IllegalStateException("unsupported schema type " + schema.getType());
    }
  }

  private void writeRecord(JsonGenerator out, Object record, Schema schema) throws IOException {
    out.writeStartObject();
    for (Field field : schema.getFields()) {
      out.writeFieldName(field.name());
      write(out, model.getField(record, field.name(), field.pos()), field.schema());
    }
    out.writeEndObject();
  }

  // JSON has no NaN or infinities; write them as the strings the reader accepts back.
  private static void writeFloat(JsonGenerator out, float value) throws IOException {
    if (Float.isFinite(value)) {
      out.writeNumber(value);
    } else {
      out.writeString(Float.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
    }
  }

  private static void writeDouble(JsonGenerator out, double value) throws IOException {
    if (Double.isFinite(value)) {
      out.writeNumber(value);
    } else {
      out.writeString(Double.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Object toRaw(Object datum, Schema schema) {
    LogicalType logicalType = schema.getLogicalType();
    if (datum == null || logicalType == null) {
      return datum;
    }
    Conversion conversion = model.getConversionByClass(datum.getClass(), logicalType);
    return conversion == null ? datum : Conversions.convertToRawType(datum, schema, logicalType, conversion);
  }
}
