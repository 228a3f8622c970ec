package dev.flywheel.cli.demo;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads a {@code --duration} the way people write it: {@code 8m}, {@code 90s}, {@code 1h}, or ISO-8601 {@code PT8M}. */
public final class DemoDuration implements ITypeConverter<Duration> {
    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h)");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    /** The duration {@code text} names; throws naming the accepted forms when it names none. */
    public static Duration parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SHORT.matcher(t);
        Duration d;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        } else {
            try {
                d = Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + text + "' is not a duration: write e.g. 8m, 90s, 1h or PT8M");
            }
        }
        if (d.isNegative() || d.isZero()) {
            throw new TypeConversionException("'" + text + "' must be a positive duration, e.g. 8m or 90s");
        }
        return d;
    }
}
