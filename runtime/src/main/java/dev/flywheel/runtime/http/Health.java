package dev.flywheel.runtime.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Health of one service as /health reports it.
 *
 * <p>The verdict is {@code isUp} rather than {@code up} so that it does not clash with the factory {@link #up()}.
 *
 * @param isUp    whether the service is doing its work
 * @param details what the verdict rests on (e.g. {@code streams=RUNNING}), in insertion order
 */
public record Health(boolean isUp, Map<String, String> details) {

    /** Copies the details, keeping their order. */
    public Health {
        Objects.requireNonNull(details, "details");
        if (details.containsKey("status")) {
            throw new IllegalArgumentException("'status' is the verdict itself in /health; name the detail otherwise");
        }
        details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** Up, with nothing more to say. */
    public static Health up() {
        return new Health(true, Map.of());
    }

    /** Down, for {@code why}. */
    public static Health down(String why) {
        return new Health(false, Map.of("reason", Objects.requireNonNull(why, "why")));
    }

    /** This verdict with one more detail. */
    public Health with(String key, String value) {
        Map<String, String> more = new LinkedHashMap<>(details);
        more.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return new Health(isUp, more);
    }

    /** {@code {"status":"UP"|"DOWN", "<detail>":"<value>", ...}}. */
    public String toJson() {
        StringBuilder json = new StringBuilder("{\"status\":\"").append(isUp ? "UP" : "DOWN").append('"');
        details.forEach((key, value) -> json.append(',').append(quoted(key)).append(':').append(quoted(value)));
        return json.append('}').toString();
    }

    private static String quoted(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
