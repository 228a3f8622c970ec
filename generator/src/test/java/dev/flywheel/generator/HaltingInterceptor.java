package dev.flywheel.generator;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Stops the JVM dead ({@link Runtime#halt}: no shutdown hooks, no finally blocks, like {@code kill -9}) when the
 * broker acknowledges the {@value #HALT_AFTER_ACKS}-th record.
 *
 * <p>A record of a transaction is acknowledged before its commit can even be requested (the commit first waits for
 * every acknowledgement), so halting here leaves a transaction open with records in the log: the hardest point for
 * exactly once. It is installed through the ordinary {@code interceptor.classes} client property, which reaches
 * consumers too, hence the pass-through consumer side.
 */
public final class HaltingInterceptor implements ProducerInterceptor<byte[], byte[]>, ConsumerInterceptor<byte[], byte[]> {
    /** Client property: halt when this many records have been acknowledged. */
    public static final String HALT_AFTER_ACKS = "flywheel.test.halt.after.acks";

    private final AtomicLong acknowledged = new AtomicLong();
    private long haltAfter = Long.MAX_VALUE;

    @Override
    public void configure(Map<String, ?> configs) {
        Object value = configs.get(HALT_AFTER_ACKS);
        if (value != null) {
            haltAfter = Long.parseLong(value.toString());
        }
    }

    @Override
    public ProducerRecord<byte[], byte[]> onSend(ProducerRecord<byte[], byte[]> record) {
        return record;
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
        if (exception == null && acknowledged.incrementAndGet() == haltAfter) {
            System.out.println("halting inside an open transaction after " + haltAfter + " acknowledged records");
            System.out.flush();
            Runtime.getRuntime().halt(137);
        }
    }

    @Override
    public ConsumerRecords<byte[], byte[]> onConsume(ConsumerRecords<byte[], byte[]> records) {
        return records;
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    }

    @Override
    public void close() {
    }
}
