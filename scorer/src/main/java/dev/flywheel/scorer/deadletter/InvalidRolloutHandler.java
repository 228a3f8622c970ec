package dev.flywheel.scorer.deadletter;

import dev.flywheel.scorer.validation.InvalidRolloutException;
import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a rollout the validation step rejected to the dead-letter topic (original bytes) and goes on; any other
 * processing failure stops the stream thread, since skipping it could lose a valid rollout.
 */
public final class InvalidRolloutHandler implements ProcessingExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(InvalidRolloutHandler.class);

    private StreamsDeadLetters deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = StreamsDeadLetters.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (exception instanceof InvalidRolloutException && context.sourceRawValue() != null) {
            LOG.warn("dead-lettering invalid rollout {}-{}@{}: {}", context.topic(), context.partition(),
                    context.offset(), exception.getMessage());
            return Response.resume(deadLetters.deadLetterFor(StreamsDeadLetters.sourceRecord(context), exception));
        }
        LOG.error("scoring failed in {} ({}-{}@{}); stopping so no rollout is lost", context.processorNodeId(),
                context.topic(), context.partition(), context.offset(), exception);
        return Response.fail();
    }
}
