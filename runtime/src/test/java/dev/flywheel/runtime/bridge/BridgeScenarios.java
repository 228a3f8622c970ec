package dev.flywheel.runtime.bridge;

import static dev.flywheel.runtime.bridge.TestCluster.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;


/**
 * Behaviour of the reactive bridge against a real Kafka cluster; subclasses say which cluster (embedded broker or
 * container), so the same scenarios prove the bridge on both.
 */
abstract class BridgeScenarios {
    static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final Logger LOG = LoggerFactory.getLogger(BridgeScenarios.class);

    TestCluster cluster;
    MeterRegistry registry;
    private final List<Disposable> subscriptions = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    /** Bootstrap servers of the cluster under test. */
    protected abstract String bootstrapServers();

    @BeforeEach
    void connect() {
        cluster = new TestCluster(bootstrapServers());
        registry = new SimpleMeterRegistry();
    }

    @AfterEach
    void disconnect() throws Exception {
        subscriptions.forEach(Disposable::dispose);
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
        cluster.close();
    }

    // ---------------------------------------------------------------------------------------------- backpressure

    @Test
    void slowSubscriberKeepsInFlightUnderTheHighWatermarkWhile100kRecordsWait() throws Exception {
        int total = 100_000;
        int slowPhase = 3_000;
        int high = 1_000;
        int maxPoll = 200;
        String topic = topicWithStrings("backpressure", 2, total);
        Properties props = cluster.consumerProperties(unique("g"));
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxPoll));
        KafkaReceiver<String, String> receiver = KafkaReceiver.create(
                ReceiverOptions.builder(props, new StringDeserializer(), new StringDeserializer())
                        .subscribe(topic).watermarks(high, 300).commitInterval(Duration.ofMillis(200)).name("slow")
                        .build(), registry);

        Set<String> distinct = ConcurrentHashMap.newKeySet();
        AtomicInteger delivered = new AtomicInteger();
        AtomicLong receivedWhenSlowPhaseEnded = new AtomicLong(-1);
        BaseSubscriber<ReceivedRecord<String, String>> slowThenFast = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                request(5_000);
            }

            @Override
            protected void hookOnNext(ReceivedRecord<String, String> record) {
                distinct.add(record.value());
                int n = delivered.incrementAndGet();
                record.acknowledge();
                if (n < slowPhase) {
                    sleepQuietly(1);
                    if (n % 2_500 == 0) {
                        request(2_500);
                    }
                } else if (n == slowPhase) {
                    receivedWhenSlowPhaseEnded.set((long) counter(KafkaReceiver.METRIC_RECEIVED, "slow").count());
                    requestUnbounded();
                }
            }
        };
        keep(receiver.receive().subscribeWith(slowThenFast));
        Gauge inFlight = registry.get(KafkaReceiver.METRIC_IN_FLIGHT).tag("receiver", "slow").gauge();
        Gauge pausedForBackpressure = registry.get(KafkaReceiver.METRIC_PAUSED)
                .tags("receiver", "slow", "reason", "backpressure").gauge();
        GaugeSampler sampler = GaugeSampler.every(Duration.ofMillis(1), inFlight, pausedForBackpressure);
        closeables.add(sampler);

        await().atMost(PATIENCE).until(() -> distinct.size() == total);
        sampler.close();
        LOG.info("backpressure: max in-flight {} (high {}), received {} when {} had been delivered slowly",
                sampler.max(inFlight), high, receivedWhenSlowPhaseEnded.get(), slowPhase);

        assertThat(sampler.max(inFlight)).as("in-flight never exceeds the high watermark")
                .isLessThanOrEqualTo(high)
                .as("and gets close to it: the watermark, not demand, was the limit")
                .isGreaterThan(high - maxPoll);
        assertThat(sampler.max(pausedForBackpressure)).as("all assigned partitions paused at some point")
                .isEqualTo(2.0);
        assertThat(receivedWhenSlowPhaseEnded.get()).as("records stayed on the topic while the subscriber was slow")
                .isBetween((long) slowPhase, (long) slowPhase + high);
        assertThat(delivered.get()).as("every record delivered exactly once to a single receiver").isEqualTo(total);
        slowThenFast.dispose();
        await().atMost(PATIENCE).until(() -> cluster.committedOffsets(props.getProperty("group.id"))
                .equals(cluster.endOffsets(topic, 2)));
    }

    // ------------------------------------------------------------------------------------------- at-least-once

    @Test
    void recordsNotAcknowledgedBeforeCloseAreRedeliveredAndAcknowledgedPrefixIsNot() {
        String topic = topicWithStrings("alo", 2, 200);
        String group = unique("g");
        RecordingSubscriber<String, String> first = RecordingSubscriber.holding();
        keep(stringReceiver(topic, group, "first").receive().subscribeWith(first));
        await().atMost(PATIENCE).until(() -> first.received().size() == 200);

        // Per partition: acknowledge offsets 0..59 and 70..79. Commits are contiguous, so 60 is committed and
        // everything from 60 on (including the acknowledged 70..79) must come again.
        first.received().stream().filter(r -> r.offset() < 60 || r.offset() >= 70 && r.offset() < 80)
                .forEach(ReceivedRecord::acknowledge);
        first.dispose();
        Map<TopicPartition, Long> expectedCommit = Map.of(new TopicPartition(topic, 0), 60L, new TopicPartition(topic, 1), 60L);
        await().atMost(PATIENCE).until(() -> cluster.committedOffsets(group).equals(expectedCommit));

        RecordingSubscriber<String, String> second = RecordingSubscriber.acknowledging();
        keep(stringReceiver(topic, group, "second").receive().subscribeWith(second));
        await().atMost(PATIENCE).until(() -> second.received().size() >= 80);
        Set<String> redelivered = second.received().stream().map(r -> r.topicPartition().partition() + "@" + r.offset())
                .collect(Collectors.toSet());
        Set<String> expected = new HashSet<>();
        for (int p = 0; p < 2; p++) {
            for (int offset = 60; offset < 100; offset++) {
                expected.add(p + "@" + offset);
            }
        }
        assertThat(redelivered).isEqualTo(expected);
        assertThat(second.received()).hasSize(80);
    }

    @Test
    void pollFailureEndsTheFluxWithTheErrorAndLosesNothing() {
        String topic = unique("poison");
        cluster.createTopic(topic, 1);
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            records.add(new ProducerRecord<>(topic, 0, keyOf(i), i == 6 ? "poison" : valueOf(i)));
        }
        cluster.produceStrings(records);
        String group = unique("g");
        Deserializer<String> refusingPoison = (topicName, data) -> {
            String value = new String(data, StandardCharsets.UTF_8);
            if ("poison".equals(value)) {
                throw new SerializationException("cannot decode " + value);
            }
            return value;
        };
        RecordingSubscriber<String, String> subscriber = RecordingSubscriber.acknowledging();
        keep(KafkaReceiver.create(ReceiverOptions.builder(cluster.consumerProperties(group), new StringDeserializer(),
                refusingPoison).subscribe(topic).name("poisoned").build(), registry).receive().subscribeWith(subscriber));

        await().atMost(PATIENCE).until(() -> subscriber.error() != null);
        assertThat(subscriber.error()).isInstanceOfSatisfying(
                RecordDeserializationException.class, e -> {
                    assertThat(e.offset()).isEqualTo(6);
                    assertThat(e.topicPartition()).isEqualTo(new TopicPartition(topic, 0));
                });
        assertThat(subscriber.received()).extracting(ReceivedRecord::value)
                .containsExactly("v-0", "v-1", "v-2", "v-3", "v-4", "v-5");

        // A byte receiver in the same group (which could dead-letter the poison) picks up where the failed one
        // committed: at or before the poison, so nothing is lost.
        RecordingSubscriber<byte[], byte[]> rescuer = RecordingSubscriber.acknowledging();
        keep(KafkaReceiver.create(ReceiverOptions.ofBytes(cluster.consumerProperties(group)).subscribe(topic)
                .name("rescuer").build(), registry).receive().subscribeWith(rescuer));
        await().atMost(PATIENCE).until(() -> rescuer.received().stream().anyMatch(r -> r.offset() == 9));
        long firstOffset = rescuer.received().get(0).offset();
        assertThat(firstOffset).isLessThanOrEqualTo(6);
        assertThat(rescuer.received()).extracting(ReceivedRecord::offset)
                .containsExactlyElementsOf(LongStream.rangeClosed(firstOffset, 9).boxed().toList());
        assertThat(new String(rescuer.received().get((int) (6 - firstOffset)).value(),
                StandardCharsets.UTF_8)).isEqualTo("poison");
    }

    // ------------------------------------------------------------------------------------- contiguous commits

    @Test
    void commitsOnlyTheContiguousPrefixOfAcknowledgedOffsets() {
        String topic = topicWithStrings("contiguous", 1, 10);
        String group = unique("g");
        RecordingSubscriber<String, String> subscriber = RecordingSubscriber.holding();
        keep(stringReceiver(topic, group, "contiguous").receive().subscribeWith(subscriber));
        await().atMost(PATIENCE).until(() -> subscriber.received().size() == 10);
        List<ReceivedRecord<String, String>> records = subscriber.received();
        TopicPartition partition = new TopicPartition(topic, 0);

        acknowledge(records, 0, 1, 2, 3, 5, 6, 8);
        await().atMost(PATIENCE).until(() -> Map.of(partition, 4L).equals(cluster.committedOffsets(group)));
        acknowledge(records, 4);
        await().atMost(PATIENCE).until(() -> Map.of(partition, 7L).equals(cluster.committedOffsets(group)));
        acknowledge(records, 7, 9);
        await().atMost(PATIENCE).until(() -> Map.of(partition, 10L).equals(cluster.committedOffsets(group)));
        assertThat(counter(KafkaReceiver.METRIC_COMMITS, "contiguous").count()).isGreaterThanOrEqualTo(3.0);
    }

    // ---------------------------------------------------------------------------------------------- rebalance

    @Test
    void receiverJoiningMidStreamLosesNothingAndDuplicatesOnlyRecordsWhoseAckCameAfterRevocation() {
        int total = 4_000;
        int partitions = 4;
        String topic = topicWithStrings("rebalance", partitions, total);
        String group = unique("g");
        Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
        AtomicInteger deliveredToA = new AtomicInteger();
        AtomicInteger deliveredToB = new AtomicInteger();

        RecordingSubscriber<String, String> a = RecordingSubscriber.then(record -> {
            deliveries.computeIfAbsent(record.value(), v -> new AtomicInteger()).incrementAndGet();
            deliveredToA.incrementAndGet();
            record.acknowledge();
            sleepQuietly(1);
        });
        keep(stringReceiver(topic, group, "a").receive().subscribeWith(a));
        Counter discardedByA = counter(KafkaReceiver.METRIC_DISCARDED_ACKS, "a");
        await().atMost(PATIENCE).until(() -> deliveredToA.get() >= 500);

        RecordingSubscriber<String, String> b = RecordingSubscriber.then(record -> {
            deliveries.computeIfAbsent(record.value(), v -> new AtomicInteger()).incrementAndGet();
            deliveredToB.incrementAndGet();
            record.acknowledge();
            sleepQuietly(1);
        });
        keep(stringReceiver(topic, group, "b").receive().subscribeWith(b));
        Counter discardedByB = counter(KafkaReceiver.METRIC_DISCARDED_ACKS, "b");
        int aBeforeB = deliveredToA.get();

        // Done when the group has committed every record: each one was acknowledged by its current owner.
        await().atMost(PATIENCE).until(() -> cluster.committedOffsets(group).equals(cluster.endOffsets(topic, partitions)));

        Set<String> all = IntStream.range(0, total).mapToObj(BridgeScenarios::valueOf).collect(Collectors.toSet());
        assertThat(deliveries.keySet()).as("no record lost").isEqualTo(all);
        int extraDeliveries = deliveries.values().stream().mapToInt(AtomicInteger::get).sum() - total;
        LOG.info("rebalance: A delivered {} ({} before B joined), B delivered {}, extra deliveries {}, discarded acks {}+{}",
                deliveredToA.get(), aBeforeB, deliveredToB.get(), extraDeliveries, discardedByA.count(), discardedByB.count());
        // Every record is acknowledged as it is delivered, so a record comes twice only if its acknowledgement
        // reached the receiver after its partition had been revoked (and committed): those are the discarded acks.
        assertThat(extraDeliveries).as("duplicates are exactly the records whose ack came after revocation")
                .isEqualTo((int) (discardedByA.count() + discardedByB.count()));
        assertThat(deliveredToB.get()).as("the second receiver took over partitions").isPositive();
        assertThat(deliveredToA.get()).as("the first receiver kept consuming after the rebalance").isGreaterThan(aBeforeB);
        assertThat(a.error()).isNull();
        assertThat(b.error()).isNull();
    }

    // ---------------------------------------------------------------------------------------------- user pause

    @Test
    void partitionPausedByTheUserStaysPausedThroughBackpressureCycles() {
        String topic = unique("pause");
        cluster.createTopic(topic, 2);
        TopicPartition p0 = new TopicPartition(topic, 0);
        KafkaReceiver<String, String> receiver = stringReceiver(topic, unique("g"), "pausing");
        List<ReceivedRecord<String, String>> received = new CopyOnWriteArrayList<>();
        // Requests ten at a time, so demand keeps dropping to zero and the receiver pauses and resumes everything.
        BaseSubscriber<ReceivedRecord<String, String>> tenAtATime = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                request(10);
            }

            @Override
            protected void hookOnNext(ReceivedRecord<String, String> record) {
                received.add(record);
                record.acknowledge();
                if (received.size() % 10 == 0) {
                    request(10);
                }
            }
        };
        keep(receiver.receive().subscribeWith(tenAtATime));
        receiver.pause(p0);
        Gauge pausedByUser = registry.get(KafkaReceiver.METRIC_PAUSED).tags("receiver", "pausing", "reason", "user").gauge();
        await().atMost(PATIENCE).until(() -> pausedByUser.value() == 1.0);

        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            records.add(new ProducerRecord<>(topic, i % 2, keyOf(i), valueOf(i)));
        }
        cluster.produceStrings(records);
        await().atMost(PATIENCE).until(() -> received.size() == 500);
        assertThat(received).as("only the unpaused partition delivered").allMatch(r -> r.topicPartition().partition() == 1);

        receiver.resume(p0);
        await().atMost(PATIENCE).until(() -> received.size() == 1_000);
        assertThat(received.stream().filter(r -> r.topicPartition().equals(p0)).count()).isEqualTo(500);
        assertThat(pausedByUser.value()).isZero();
    }

    // ------------------------------------------------------------------------------------------ transactions

    @Test
    void abortedTransactionLeavesNeitherOutputNorOffsetsAndCommittedOneLeavesBoth() {
        String input = topicWithStrings("tx-in", 1, 5);
        String output = unique("tx-out");
        cluster.createTopic(output, 1);
        String group = unique("g");
        KafkaReceiver<String, String> receiver = KafkaReceiver.create(
                ReceiverOptions.builder(readCommitted(group), new StringDeserializer(), new StringDeserializer())
                        .subscribe(input).transactional().commitInterval(Duration.ofMillis(50)).name("tx").build(),
                registry);
        RecordingSubscriber<String, String> subscriber = RecordingSubscriber.acknowledging();
        keep(receiver.receive().subscribeWith(subscriber));
        await().atMost(PATIENCE).until(() -> subscriber.received().size() == 5);
        List<ReceivedRecord<String, String>> batch = List.copyOf(subscriber.received());
        ConsumerGroupMetadata groupMetadata = receiver.groupMetadata().block(PATIENCE);
        KafkaSender<String, String> sender = stringSender(unique("tx-id"), "tx-sender");

        List<ProducerRecord<String, String>> outputs = new ArrayList<>();
        batch.forEach(r -> outputs.add(new ProducerRecord<>(output, r.key(), "out-" + r.value())));
        List<ProducerRecord<String, String>> withOneTooLarge = new ArrayList<>(outputs);
        withOneTooLarge.add(new ProducerRecord<>(output, "big", "x".repeat(2 * 1024 * 1024)));

        Throwable failure = sender.sendTransactionally(withOneTooLarge, ConsumedOffsets.after(batch), groupMetadata)
                .materialize().block(PATIENCE).getThrowable();
        assertThat(causes(failure)).as("a record over max.request.size fails the transaction")
                .hasAtLeastOneElementOfType(RecordTooLargeException.class);
        assertThat(cluster.readCommittedStrings(output, 1)).as("aborted output invisible to read_committed").isEmpty();
        assertThat(cluster.committedOffsets(group)).as("aborted offsets not committed").isEmpty();

        // A zombie: the same offsets from a member the group does not know (e.g. one that lost its generation).
        ConsumerGroupMetadata zombie = new ConsumerGroupMetadata(group, groupMetadata.generationId() + 1,
                "zombie-member", Optional.empty());
        Throwable zombieFailure = sender.sendTransactionally(outputs, ConsumedOffsets.after(batch), zombie)
                .materialize().block(PATIENCE).getThrowable();
        assertThat(causes(zombieFailure)).as("offsets of an unknown member are refused")
                .hasAtLeastOneElementOfType(CommitFailedException.class);
        assertThat(cluster.readCommittedStrings(output, 1)).as("the zombie's output is invisible").isEmpty();
        assertThat(cluster.committedOffsets(group)).as("the zombie's offsets are not committed").isEmpty();

        sender.sendTransactionally(outputs, ConsumedOffsets.after(batch), groupMetadata).block(PATIENCE);
        assertThat(cluster.readCommittedStrings(output, 1)).extracting(ConsumerRecord::value)
                .containsExactly("out-v-0", "out-v-1", "out-v-2", "out-v-3", "out-v-4");
        assertThat(cluster.committedOffsets(group)).isEqualTo(Map.of(new TopicPartition(input, 0), 5L));
        assertThat(registry.get(KafkaSender.METRIC_TRANSACTIONS).tags("sender", "tx-sender", "outcome", "aborted")
                .counter().count()).isEqualTo(2.0);
        assertThat(registry.get(KafkaSender.METRIC_TRANSACTIONS).tags("sender", "tx-sender", "outcome", "committed")
                .counter().count()).isEqualTo(1.0);
    }

    @Test
    void fencedSenderFailsItsTransactionAndRefusesLaterOnes() {
        String output = unique("fence-out");
        cluster.createTopic(output, 1);
        String transactionalId = unique("fence-id");
        KafkaSender<String, String> older = stringSender(transactionalId, "older");
        older.sendTransactionally(List.of(new ProducerRecord<>(output, "k", "first")), Map.of(), null).block(PATIENCE);
        KafkaSender<String, String> newer = stringSender(transactionalId, "newer");
        newer.sendTransactionally(List.of(new ProducerRecord<>(output, "k", "second")), Map.of(), null).block(PATIENCE);

        Throwable fenced = older.sendTransactionally(List.of(new ProducerRecord<>(output, "k", "zombie")), Map.of(), null)
                .materialize().block(PATIENCE).getThrowable();
        Throwable refused = older.sendTransactionally(List.of(new ProducerRecord<>(output, "k", "zombie-2")), Map.of(), null)
                .materialize().block(PATIENCE).getThrowable();

        assertThat(fenced).isNotNull();
        assertThat(refused).isInstanceOf(IllegalStateException.class).hasMessageContaining("fatal producer error");
        assertThat(cluster.readCommittedStrings(output, 1)).extracting(ConsumerRecord::value)
                .containsExactly("first", "second");
    }

    @Test
    void plainSenderBoundsInFlightAndReportsEveryRecordInOrder() {
        String output = unique("plain-out");
        cluster.createTopic(output, 3);
        KafkaSender<String, String> sender = KafkaSender.create(
                SenderOptions.builder(cluster.producerProperties(), new StringSerializer(), new StringSerializer())
                        .maxInFlight(16).name("plain").build(), registry);
        closeables.add(sender);
        AtomicInteger requestedUpstream = new AtomicInteger();
        List<ProducerRecord<String, String>> records = IntStream.range(0, 500)
                .mapToObj(i -> new ProducerRecord<>(output, i % 3, keyOf(i), valueOf(i))).toList();

        List<RecordMetadata> metadata = sender
                .send(Flux.fromIterable(records)
                        .doOnRequest(n -> requestedUpstream.set((int) Math.min(Integer.MAX_VALUE, Math.max(requestedUpstream.get(), n)))))
                .collectList().block(PATIENCE);

        assertThat(metadata).hasSize(500);
        assertThat(metadata).extracting(RecordMetadata::partition)
                .containsExactlyElementsOf(records.stream().map(ProducerRecord::partition).toList());
        assertThat(requestedUpstream.get()).as("never asks the source for more than maxInFlight at once")
                .isLessThanOrEqualTo(16);
        assertThat(cluster.readCommittedStrings(output, 3)).hasSize(500);
        assertThat(registry.get(KafkaSender.METRIC_SENT).tag("sender", "plain").counter().count()).isEqualTo(500.0);
    }

    // ----------------------------------------------------------------------------------------------- helpers

    static String keyOf(int i) {
        return "k-" + i;
    }

    static String valueOf(int i) {
        return "v-" + i;
    }

    /** A fresh topic holding {@code count} string records spread round-robin over its partitions. */
    String topicWithStrings(String prefix, int partitions, int count) {
        String topic = unique(prefix);
        cluster.createTopic(topic, partitions);
        List<ProducerRecord<String, String>> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            records.add(new ProducerRecord<>(topic, i % partitions, keyOf(i), valueOf(i)));
        }
        cluster.produceStrings(records);
        return topic;
    }

    KafkaReceiver<String, String> stringReceiver(String topic, String group, String name) {
        return KafkaReceiver.create(
                ReceiverOptions.builder(cluster.consumerProperties(group), new StringDeserializer(), new StringDeserializer())
                        .subscribe(topic).commitInterval(Duration.ofMillis(100)).name(name).build(), registry);
    }

    KafkaSender<String, String> stringSender(String transactionalId, String name) {
        KafkaSender<String, String> sender = KafkaSender.create(
                SenderOptions.builder(cluster.producerProperties(), new StringSerializer(), new StringSerializer())
                        .transactionalId(transactionalId).name(name).build(), registry);
        closeables.add(sender);
        return sender;
    }

    Properties readCommitted(String group) {
        Properties props = cluster.consumerProperties(group);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return props;
    }

    Counter counter(String name, String receiver) {
        return registry.get(name).tag("receiver", receiver).counter();
    }

    void keep(Disposable subscription) {
        subscriptions.add(subscription);
    }

    static void acknowledge(List<ReceivedRecord<String, String>> records, long... offsets) {
        Map<Long, ReceivedRecord<String, String>> byOffset = new HashMap<>();
        records.forEach(r -> byOffset.put(r.offset(), r));
        for (long offset : offsets) {
            byOffset.get(offset).acknowledge();
        }
    }

    /** The throwable and its causes, outermost first; empty for null. */
    static List<Throwable> causes(Throwable error) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = error; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
