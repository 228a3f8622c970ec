package dev.flywheel.runtime.bridge;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The child JVM of {@link CrashRedeliveryTest}: receives a whole topic in a group, acknowledges exactly the records
 * of {@link #inAckSet}, holds every other one unacknowledged, and then waits to be killed.
 *
 * <p>Arguments: bootstrap servers, topic, group, prefix length per partition, total record count. Progress goes to
 * stdout, one line per step, for the parent to log and to wait on.
 */
public final class CrashingConsumerMain {
    /** Line printed once every acknowledgement has been handed to the receiver. */
    static final String ACKNOWLEDGED = "acknowledged";
    /** Offsets, counted from the end of the prefix, acknowledged past the gap the prefix leaves at its end. */
    static final List<Long> SCATTERED_PAST_PREFIX = List.of(7L, 31L, 150L);
    /** Small enough that the broker's minimum accepts it, so the successor need not wait 45 s for the dead member. */
    static final String SESSION_TIMEOUT_MS = "6000";

    private CrashingConsumerMain() {
    }

    /** Whether the child acknowledges the record at {@code offset}: the first {@code prefix} ones and a few past a gap. */
    static boolean inAckSet(long offset, int prefix) {
        return offset < prefix || SCATTERED_PAST_PREFIX.contains(offset - prefix);
    }

    /** Runs the child until it is killed, or until its parent goes away (its stdin reaches end of file). */
    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            System.err.println("usage: CrashingConsumerMain <bootstrap-servers> <topic> <group> <prefix> <total>");
            System.exit(64);
        }
        String topic = args[1];
        int prefix = Integer.parseInt(args[3]);
        int total = Integer.parseInt(args[4]);
        Properties consumer = new Properties();
        consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, args[2]);
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS);
        consumer.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "200");
        // Every record stays in flight at once, so the whole topic reaches the child before it acknowledges.
        ReceiverOptions<String, String> options = ReceiverOptions.builder(consumer, new StringDeserializer(),
                        new StringDeserializer())
                .subscribe(topic).watermarks(total + 200, total).commitInterval(Duration.ofMillis(100))
                .name("crashing").build();

        Holder holder = new Holder(prefix, total);
        KafkaReceiver.create(options, new SimpleMeterRegistry()).receive().subscribe(holder::receive, error -> {
            System.out.println("error " + error);
            System.out.flush();
            Runtime.getRuntime().halt(2);
        });
        System.out.println("started group=" + args[2] + " topic=" + topic + " prefix=" + prefix + " total=" + total);
        System.out.flush();

        // The parent never writes; end of file means it is gone, and the child must not outlive it.
        System.in.transferTo(OutputStream.nullOutputStream());
        Runtime.getRuntime().halt(3);
    }

    /** Collects records on the receiver's emit thread and acknowledges the ack set once the whole topic is in. */
    private static final class Holder {
        private final int prefix;
        private final int total;
        private final Set<String> seen = new HashSet<>();
        private final List<ReceivedRecord<String, String>> toAcknowledge = new ArrayList<>();
        private boolean acknowledged;

        Holder(int prefix, int total) {
            this.prefix = prefix;
            this.total = total;
        }

        void receive(ReceivedRecord<String, String> record) {
            seen.add(record.topicPartition().partition() + "@" + record.offset());
            if (inAckSet(record.offset(), prefix)) {
                toAcknowledge.add(record);
            }
            if (seen.size() % 500 == 0) {
                System.out.println("received " + seen.size());
                System.out.flush();
            }
            if (seen.size() == total && !acknowledged) {
                acknowledged = true;
                acknowledgeClosingAckLast();
            }
        }

        /**
         * Acknowledges in three steps: the prefix except its last record on partition 0, then the records past the
         * gap, then that last record. Acknowledgements are processed in order, so the commit that takes partition 0
         * to the end of the prefix comes after the receiver knew every acknowledgement past the gap; had it any
         * offset beyond a gap to commit (the highest acknowledged, or the latest), that commit or an earlier one
         * would carry it, and the parent would see it.
         */
        private void acknowledgeClosingAckLast() {
            toAcknowledge.sort(Comparator.comparingInt(this::step)
                    .thenComparingInt(r -> r.topicPartition().partition())
                    .thenComparingLong(ReceivedRecord::offset));
            toAcknowledge.forEach(ReceivedRecord::acknowledge);
            System.out.println(ACKNOWLEDGED + " " + toAcknowledge.size() + " of " + seen.size()
                    + " received records; holding " + (seen.size() - toAcknowledge.size()) + " unacknowledged");
            System.out.flush();
        }

        private int step(ReceivedRecord<String, String> record) {
            if (record.offset() >= prefix) {
                return 1;
            }
            return record.topicPartition().partition() == 0 && record.offset() == prefix - 1 ? 2 : 0;
        }
    }
}
