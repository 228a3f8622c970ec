package dev.flywheel.scorer.deadletter;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends a record whose key or value does not decode to the dead-letter topic and lets the application go on. */
public final class UndecodableRolloutHandler implements DeserializationExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(UndecodableRolloutHandler.class);

    private StreamsDeadLetters deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = StreamsDeadLetters.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        LOG.warn("dead-lettering undecodable record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                exception.getMessage());
        return Response.resume(deadLetters.deadLetterFor(record, exception));
    }
}
