package dev.flywheel.feedback.deadletter;

import dev.flywheel.runtime.deadletter.DeadLetters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams exception handler that turns a record which failed to decode or to process into a dead letter
 * (runtime's {@link DeadLetters} format) written in the same transaction, and resumes: bad input never stops the app.
 *
 * <p>Configured through the Streams properties {@link #TOPIC} (the dead-letter topic) and {@link #REGISTRY} (a
 * {@link MeterRegistry} object to count in), which {@code FeedbackIngest} sets.
 */
public final class DeadLetterRouting implements DeserializationExceptionHandler, ProcessingExceptionHandler {
    /** Streams property: name of the dead-letter topic. */
    public static final String TOPIC = "flywheel.dead-letter.topic";
    /** Streams property: the {@link MeterRegistry} instance dead letters are counted in. */
    public static final String REGISTRY = "flywheel.dead-letter.registry";
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterRouting.class);

    private DeadLetters deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        Object topic = configs.get(TOPIC);
        if (!(topic instanceof String name) || name.isBlank()) {
            throw new IllegalArgumentException("Streams property " + TOPIC + " must name the dead-letter topic");
        }
        Object registry = configs.get(REGISTRY);
        deadLetters = DeadLetters.to(name, registry instanceof MeterRegistry r ? r : new SimpleMeterRegistry());
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context,
                                                                ConsumerRecord<byte[], byte[]> record, Exception e) {
        ProducerRecord<byte[], byte[]> deadLetter = deadLetters.deadLetterFor(record, e);
        deadLetters.countWritten(deadLetter);
        LOG.warn("undecodable record {}-{}@{} dead-lettered: {}", record.topic(), record.partition(), record.offset(),
                e.getMessage());
        return DeserializationExceptionHandler.Response.resume(List.of(deadLetter));
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record,
                                                           Exception e) {
        if (context.sourceRawValue() == null && context.sourceRawKey() == null) {
            // A punctuation failed: there is no input record to keep, only the error to report.
            LOG.error("punctuation in {} failed and was skipped", context.processorNodeId(), e);
            return ProcessingExceptionHandler.Response.resume();
        }
        ConsumerRecord<byte[], byte[]> source = new ConsumerRecord<>(context.topic(), context.partition(),
                context.offset(), context.timestamp(), TimestampType.CREATE_TIME, ConsumerRecord.NULL_SIZE,
                ConsumerRecord.NULL_SIZE, context.sourceRawKey(), context.sourceRawValue(),
                new RecordHeaders(context.headers().toArray()), java.util.Optional.empty());
        ProducerRecord<byte[], byte[]> deadLetter = deadLetters.deadLetterFor(source, e);
        deadLetters.countWritten(deadLetter);
        LOG.warn("record {}-{}@{} failed in {} and was dead-lettered: {}", context.topic(), context.partition(),
                context.offset(), context.processorNodeId(), e.toString());
        return ProcessingExceptionHandler.Response.resume(List.of(deadLetter));
    }
}
