package dev.flywheel.runtime.deadletter;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Names of the headers a dead letter carries besides the original record's own; every value is UTF-8 text.
 */
public final class DeadLetterHeaders {
    /** Topic the failed record was read from. */
    public static final String SOURCE_TOPIC = "fw.dlt.source.topic";
    /** Partition the failed record was read from, in decimal. */
    public static final String SOURCE_PARTITION = "fw.dlt.source.partition";
    /** Offset of the failed record, in decimal. */
    public static final String SOURCE_OFFSET = "fw.dlt.source.offset";
    /** Timestamp of the failed record, epoch milliseconds in decimal. */
    public static final String SOURCE_TIMESTAMP = "fw.dlt.source.timestamp";
    /** Fully qualified class name of the exception that made the record fail. */
    public static final String ERROR_CLASS = "fw.dlt.error.class";
    /** The exception's message, with its causes' appended; cut to {@link #MAX_MESSAGE_LENGTH} characters. */
    public static final String ERROR_MESSAGE = "fw.dlt.error.message";
    /** Longest error message kept, so a huge message cannot make the dead letter itself too large to send. */
    public static final int MAX_MESSAGE_LENGTH = 4_000;

    private DeadLetterHeaders() {
    }

    /** The last value of header {@code name} as text, or {@code null} when absent. */
    public static String text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
