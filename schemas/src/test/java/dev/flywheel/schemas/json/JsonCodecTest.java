package dev.flywheel.schemas.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.schemas.FeedbackKind;
import dev.flywheel.schemas.Feedback;
import dev.flywheel.schemas.MessageFixtures;
import dev.flywheel.schemas.Messages;
import dev.flywheel.schemas.MetricPoint;
import dev.flywheel.schemas.Prompt;
import dev.flywheel.schemas.Rollout;
import dev.flywheel.schemas.ScoredRollout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.avro.io.JsonEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class JsonCodecTest {

  private static final Instant NOW = Instant.parse("2026-11-27T22:00:00Z");
  private final JsonCodec<Prompt> prompts = JsonCodec.forType(Prompt.class, Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void everyMessageRoundTripsThroughThePlainForm() {
    for (SpecificRecord original : MessageFixtures.oneOfEach()) {
      JsonCodec<SpecificRecord> codec = codecOf(original);
      String json = codec.toJson(original);
      assertThat(json).as(original.getSchema().getName()).doesNotContain("\n");
      assertThat(codec.fromJson(json)).as(original.getSchema().getName()).isEqualTo(original);
    }
  }

  @Test
  void everyMessageReadsAvrosOwnJsonEncoding() throws IOException {
    for (SpecificRecord original : MessageFixtures.oneOfEach()) {
      String avroJson = avroJsonOf(original);
      assertThat(codecOf(original).fromJson(avroJson)).as(avroJson).isEqualTo(original);
    }
  }

  @Test
  void plainFormWritesUnionsAsBareValuesAndEnumsAsStrings() {
    String json = JsonCodec.forType(ScoredRollout.class).toJson(MessageFixtures.scoredRollout(1));
    assertThat(json).contains("\"rmScore\":0.75", "\"judgeLabel\":\"RIGHT\"", "\"humanReward\":null",
        "\"rewardSource\":\"RM_AND_JUDGE\"", "\"ts\":" + MessageFixtures.TS.plusMillis(2001).toEpochMilli());
  }

  @Test
  void plainFormLetsOptionalFieldsAndTheEventTimeBeOmitted() {
    Prompt prompt = prompts.fromJson("{\"id\":\"p-9\",\"text\":\"What is 6 * 7?\"}");
    assertThat(prompt.getTs()).isEqualTo(NOW);
    assertThat(prompt.getTenant()).isEqualTo("default");
    assertThat(prompt.getMetadata()).isEmpty();
    assertThat(prompt.getText()).isEqualTo("What is 6 * 7?");
  }

  @Test
  void theReadmeExampleLineIsAValidPrompt() {
    Prompt prompt = prompts.fromJson("{\"id\": \"p-1\", \"text\": \"What is 17 * 23?\", \"metadata\": "
        + "{\"task.kind\": \"arithmetic\", \"task.knowledge\": \"in\", \"task.answer\": \"391\"}}");
    assertThat(prompt.getMetadata()).containsEntry("task.answer", "391").hasSize(3);
    assertThat(prompt.getTs()).isEqualTo(NOW);
  }

  @Test
  void acceptsIsoTimestampsAndWrappedUnionValues() {
    Feedback feedback = JsonCodec.forType(Feedback.class).fromJson("{\"id\":\"f-1\",\"ts\":\"2026-11-27T21:30:00.5Z\","
        + "\"responseId\":\"r-1\",\"kind\":\"PAIRWISE\",\"value\":-1,\"otherResponseId\":{\"string\":\"r-2\"},"
        + "\"raterId\":\"u-7\"}");
    assertThat(feedback.getTs()).isEqualTo(Instant.parse("2026-11-27T21:30:00.5Z"));
    assertThat(feedback.getKind()).isEqualTo(FeedbackKind.PAIRWISE);
    assertThat(feedback.getValue()).isEqualTo(-1.0);
    assertThat(feedback.getOtherResponseId()).isEqualTo("r-2");
    assertThat(feedback.getCorrection()).isNull();
  }

  @Test
  void nonFiniteNumbersSurviveAsStrings() {
    MetricPoint alarm = MetricPoint.newBuilder(MessageFixtures.metricPoint(1)).setValue(Double.NaN).build();
    JsonCodec<MetricPoint> codec = JsonCodec.forType(MetricPoint.class);
    String json = codec.toJson(alarm);
    assertThat(json).contains("\"value\":\"NaN\"");
    assertThat(codec.fromJson(json).getValue()).isNaN();
  }

  @Test
  void namesTheFieldAndTheExpectedTypeForAWrongValue() {
    assertThatThrownBy(() -> prompts.fromJson("{\"id\":\"p-1\",\"ts\":\"abc\",\"text\":\"hi\"}"))
        .isInstanceOf(JsonRecordException.class)
        .hasMessage("field 'ts': expected long (epoch milliseconds) or an ISO-8601 instant such as "
            + "\"2026-01-31T12:00:00Z\", got \"abc\"");
    assertThatThrownBy(() -> prompts.fromJson("{\"id\":7,\"text\":\"hi\"}"))
        .hasMessage("field 'id': expected string, got 7");
  }

  @Test
  void namesNestedAndArrayPaths() {
    String rollout = JsonCodec.forType(Rollout.class).toJson(MessageFixtures.rollout(1));
    String badTopK = rollout.replace("\"topK\":40", "\"topK\":40.5");
    assertThatThrownBy(() -> JsonCodec.forType(Rollout.class).fromJson(badTopK))
        .isInstanceOf(JsonRecordException.class)
        .hasMessage("field 'sampling.topK': expected int, got 40.5")
        .extracting(e -> ((JsonRecordException) e).fieldPath()).isEqualTo("sampling.topK");
    String badToken = rollout.replaceFirst("\"responseTokenIds\":\\[(\\d+),", "\"responseTokenIds\":[$1,\"x\",");
    assertThatThrownBy(() -> JsonCodec.forType(Rollout.class).fromJson(badToken))
        .hasMessage("field 'responseTokenIds[1]': expected int, got \"x\"");
  }

  @Test
  void rejectsMissingRequiredFieldsUnknownFieldsAndUnknownSymbols() {
    assertThatThrownBy(() -> prompts.fromJson("{\"id\":\"p-1\"}"))
        .hasMessage("field 'text': missing; it is required (string, no default)");
    assertThatThrownBy(() -> prompts.fromJson("{\"id\":\"p-1\",\"text\":\"hi\",\"Tenant\":\"x\"}"))
        .hasMessage("field 'Tenant': unknown field of Prompt; its fields are id, ts, tenant, text, metadata");
    assertThatThrownBy(() -> JsonCodec.forType(Feedback.class).fromJson("{\"id\":\"f\",\"responseId\":\"r\","
        + "\"kind\":\"LIKE\",\"value\":1,\"raterId\":\"u\"}"))
        .hasMessage("field 'kind': expected one of [UNKNOWN, THUMBS, RATING, PAIRWISE, ABSTAIN_OK, CORRECTION], "
            + "got \"LIKE\"");
  }

  @Test
  void rejectsLinesThatAreNotOneJsonObject() {
    assertThatThrownBy(() -> prompts.fromJson("{\"id\":\"p-1\",")).isInstanceOf(JsonRecordException.class)
        .hasMessageStartingWith("record: not valid JSON: ");
    assertThatThrownBy(() -> prompts.fromJson("{\"id\":\"p\",\"text\":\"a\"} {\"id\":\"q\"}"))
        .hasMessageStartingWith("record: not valid JSON: ");
    assertThatThrownBy(() -> prompts.fromJson("[1,2]"))
        .hasMessage("record: expected a JSON object (record Prompt), got [1,2]");
    assertThatThrownBy(() -> prompts.fromJson("   ")).hasMessageStartingWith("record: empty line");
    assertThatThrownBy(() -> prompts.fromJson("{\"id\":\"p\",\"id\":\"q\",\"text\":\"a\"}"))
        .hasMessageContaining("Duplicate field 'id'");
  }

  @Test
  void nullForARequiredFieldIsAnErrorNotAHalfRecord() {
    assertThatThrownBy(() -> prompts.fromJson("{\"id\":\"p-1\",\"text\":null}"))
        .hasMessage("field 'text': expected string, got null");
    assertThatThrownBy(() -> JsonCodec.forType(Prompt.class).fromJson(
        "{\"id\":\"p-1\",\"text\":\"t\",\"metadata\":{\"task.kind\":null}}"))
        .hasMessage("field 'metadata[\"task.kind\"]': expected string, got null");
  }

  @Test
  void theCatalogueHandsOutTheSameCodec() {
    assertThat(Messages.byName("Prompt").json().fromJson("{\"id\":\"p\",\"ts\":5,\"text\":\"t\",\"metadata\":{\"a\":\"b\"}}"))
        .isEqualTo(Prompt.newBuilder().setId("p").setTs(Instant.ofEpochMilli(5)).setText("t")
            .setMetadata(Map.of("a", "b")).build());
    assertThat(List.copyOf(Messages.names())).hasSize(7);
  }

  @SuppressWarnings("unchecked")
  private static JsonCodec<SpecificRecord> codecOf(SpecificRecord record) {
    return (JsonCodec<SpecificRecord>) (JsonCodec<?>) Messages.forType(record.getClass()).json();
  }

  private static String avroJsonOf(SpecificRecord record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    JsonEncoder encoder = EncoderFactory.get().jsonEncoder(record.getSchema(), out);
    new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, encoder);
    encoder.flush();
    return out.toString(StandardCharsets.UTF_8);
  }
}
