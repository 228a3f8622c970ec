package dev.flywheel.monitor.lag;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The lag of every reported group at one moment. */
public record LagReport(Instant at, List<GroupLag> groups) {

    private static final JsonFactory JSON = new JsonFactory();

    public LagReport {
        Objects.requireNonNull(at, "at");
        groups = List.copyOf(groups);
    }

    /** A report with no groups, as before the first sample. */
    public static LagReport empty(Instant at) {
        return new LagReport(at, List.of());
    }

    /** The group with this id, if the report holds it. */
    public Optional<GroupLag> group(String id) {
        return groups.stream().filter(g -> g.group().equals(id)).findFirst();
    }

    /**
     * The report as one line of JSON: {@code {"at": ISO-8601, "groups": [{"group", "state", "status",
     * "totalLagRecords", "maxLagSeconds", "partitions": [{"topic", "partition", "committedOffset", "endOffset",
     * "lagRecords", "lagSeconds", "consumerId", "host"}]}]}}; an unknown seconds lag and a missing owner are null.
     */
    public String toJson() {
        StringWriter text = new StringWriter();
        try (JsonGenerator out = JSON.createGenerator(text)) {
            out.writeStartObject();
            out.writeStringField("at", at.toString());
            out.writeArrayFieldStart("groups");
            for (GroupLag group : groups) {
                writeGroup(out, group);
            }
            out.writeEndArray();
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a lag report as JSON", e);
        }
        return text.toString();
    }

    private static void writeGroup(JsonGenerator out, GroupLag group) throws IOException {
        out.writeStartObject();
        out.writeStringField("group", group.group());
        out.writeStringField("state", group.state());
        out.writeStringField("status", group.status().name());
        out.writeNumberField("totalLagRecords", group.totalLagRecords());
        out.writeNumberField("maxLagSeconds", group.maxLagSeconds());
        out.writeArrayFieldStart("partitions");
        for (PartitionLag p : group.partitions()) {
            out.writeStartObject();
            out.writeStringField("topic", p.topic());
            out.writeNumberField("partition", p.partition());
            out.writeNumberField("committedOffset", p.committedOffset());
            out.writeNumberField("endOffset", p.endOffset());
            out.writeNumberField("lagRecords", p.lagRecords());
            out.writeFieldName("lagSeconds");
            if (p.lagSecondsKnown()) {
                out.writeNumber(p.lagSeconds());
            } else {
                out.writeNull();
            }
            out.writeStringField("consumerId", p.owned() ? p.consumerId() : null);
            out.writeStringField("host", p.owned() ? p.host() : null);
            out.writeEndObject();
        }
        out.writeEndArray();
        out.writeEndObject();
    }
}
