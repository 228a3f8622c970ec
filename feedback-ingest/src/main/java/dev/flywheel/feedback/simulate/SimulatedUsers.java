package dev.flywheel.feedback.simulate;

import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.runtime.topics.Topics;
import dev.flywheel.schemas.Feedback;
import dev.flywheel.schemas.FeedbackKind;
import dev.flywheel.schemas.Prompt;
import dev.flywheel.schemas.Rollout;
import dev.flywheel.schemas.serde.AvroSerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running crowd of simulated users: one thread sends prompts at the configured rate, another reads the responses
 * to them back (read_committed) and, once a prompt's group of samples is complete, schedules the crowd's feedback
 * after the configured delay. {@code SimulatedUsers.start(kafka, topics, settings)}, then {@link #awaitCompletion}
 * for a run with a duration, or {@link #close()} to stop.
 */
public final class SimulatedUsers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedUsers.class);

    private final SimulationSettings settings;
    private final Topics topics;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final ScheduledExecutorService delayed = Executors.newSingleThreadScheduledExecutor(
            runnable -> new Thread(runnable, "simulate-feedback"));
    private final PromptFeed prompts;
    private final FeedbackPlanner planner;
    private final AtomicLong rollouts = new AtomicLong();
    private final AtomicLong late = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Map<FeedbackKind, AtomicLong> sent = new ConcurrentHashMap<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final long startNanos = System.nanoTime();
    private volatile boolean stopping;
    private volatile boolean promptsDone;
    private volatile long promptsDoneNanos;
    private volatile long endNanos;

    private SimulatedUsers(KafkaSettings kafka, Topics topics, SimulationSettings settings) {
        this.settings = settings;
        this.topics = topics;
        this.prompts = new PromptFeed(settings);
        this.planner = new FeedbackPlanner(settings);
        this.producer = new KafkaProducer<>(kafka.clientProperties(Map.of(ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5)), new StringSerializer(), new ByteArraySerializer());
        this.consumer = new KafkaConsumer<>(kafka.clientProperties(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    /** Starts sending prompts and rating the responses. */
    public static SimulatedUsers start(KafkaSettings kafka, Topics topics, SimulationSettings settings) {
        SimulatedUsers users = new SimulatedUsers(kafka, topics, settings);
        users.seekToEndOfRollouts();
        new Thread(users::sendPrompts, "simulate-prompts").start();
        new Thread(users::rateResponses, "simulate-rollouts").start();
        return users;
    }

    private void seekToEndOfRollouts() {
        String topic = topics.rollouts().name();
        var partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (partitions == null || partitions.isEmpty()) {
            consumer.close();
            producer.close();
            delayed.shutdownNow();
            throw new IllegalArgumentException("topic " + topic + " does not exist: create Flywheel's topics with "
                    + "'flywheel topics create' (same --prefix)");
        }
        List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(assigned);
        consumer.seekToEnd(assigned);
        // Resolve the end offsets now, before the first prompt, so no response to the run is skipped.
        assigned.forEach(consumer::position);
    }

    private void sendPrompts() {
        try {
            long periodNanos = (long) (1e9 / settings.rate());
            long stopAt = settings.duration() == null ? Long.MAX_VALUE : startNanos + settings.duration().toNanos();
            for (long i = 0; !stopping; i++) {
                long due = startNanos + i * periodNanos;
                if (due >= stopAt) {
                    break;
                }
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                Prompt prompt = prompts.next(Instant.now());
                producer.send(new ProducerRecord<>(topics.prompts().name(), null, prompt.getTs().toEpochMilli(),
                        prompt.getId(), AvroSerdes.prompt().serializer().serialize(topics.prompts().name(), prompt)),
                        (metadata, error) -> countFailure(error, "prompt " + prompt.getId()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            promptsDoneNanos = System.nanoTime();
            promptsDone = true;
        }
    }

    private void rateResponses() {
        Map<String, List<Rollout>> groups = new HashMap<>();
        String prefix = PromptFeed.promptPrefix(settings.runId());
        try {
            while (!stopping && !(promptsDone && System.nanoTime() - promptsDoneNanos >= settings.drain().toNanos())) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    Rollout rollout = decode(record);
                    if (rollout == null || !rollout.getPromptId().startsWith(prefix)) {
                        continue;
                    }
                    rollouts.incrementAndGet();
                    List<Rollout> group = groups.computeIfAbsent(rollout.getGroupId(), id -> new ArrayList<>());
                    group.add(rollout);
                    if (group.size() >= rollout.getGroupSize()) {
                        schedule(groups.remove(rollout.getGroupId()));
                    }
                }
            }
            // Groups the generator did not finish in time still get feedback on the samples that came.
            groups.values().forEach(this::schedule);
        } catch (RuntimeException e) {
            LOG.error("reading responses failed; no more feedback will be sent", e);
        } finally {
            consumer.close();
            delayed.shutdown();
            try {
                delayed.awaitTermination(settings.feedbackDelay().toMillis() + 60_000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            producer.flush();
            endNanos = System.nanoTime();
            finished.countDown();
        }
    }

    private Rollout decode(ConsumerRecord<String, byte[]> record) {
        try {
            return AvroSerdes.rollout().deserializer().deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            LOG.warn("skipping undecodable rollout at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            return null;
        }
    }

    private void schedule(List<Rollout> group) {
        group.sort(Comparator.comparingInt(Rollout::getGroupIndex));
        Map<String, Rollout> byId = new HashMap<>();
        group.forEach(r -> byId.put(r.getId(), r));
        for (Feedback feedback : planner.plan(group)) {
            if (settings.lateFraction() > 0 && !settings.lateBy().equals(settings.feedbackDelay()) && Duration.between(
                    byId.get(feedback.getResponseId()).getTs(), feedback.getTs()).equals(settings.lateBy())) {
                late.incrementAndGet();
            }
            delayed.schedule(() -> send(feedback), settings.feedbackDelay().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void send(Feedback feedback) {
        producer.send(new ProducerRecord<>(topics.feedback().name(), null, feedback.getTs().toEpochMilli(),
                feedback.getResponseId(), AvroSerdes.feedback().serializer().serialize(topics.feedback().name(), feedback)),
                (metadata, error) -> {
                    if (error == null) {
                        sent.computeIfAbsent(feedback.getKind(), k -> new AtomicLong()).incrementAndGet();
                    } else {
                        countFailure(error, "feedback " + feedback.getId());
                    }
                });
    }

    private void countFailure(Exception error, String what) {
        if (error != null) {
            failed.incrementAndGet();
            LOG.error("{} was not written: {}", what, error.toString());
        }
    }

    /** Waits until a run with a duration has sent its prompts, drained and sent every feedback; false on timeout. */
    public boolean awaitCompletion(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Prompts sent so far. */
    public long promptsSent() {
        return prompts.count();
    }

    /** Feedback records written so far. */
    public long feedbackSent() {
        return sent.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** The run so far (complete after {@link #awaitCompletion}). */
    public SimulationReport report() {
        Map<FeedbackKind, Long> perKind = new EnumMap<>(FeedbackKind.class);
        sent.forEach((kind, count) -> perKind.put(kind, count.get()));
        long now = System.nanoTime();
        long promptsEnd = promptsDone ? promptsDoneNanos : now;
        long end = endNanos == 0 ? now : endNanos;
        return new SimulationReport(prompts.count(), rollouts.get(), perKind, late.get(), failed.get(), planner.quality(),
                Duration.ofNanos(promptsEnd - startNanos), Duration.ofNanos(end - startNanos));
    }

    /** Stops sending prompts, sends the feedback already due, and closes the clients. */
    @Override
    public void close() {
        stopping = true;
        try {
            if (!finished.await(settings.feedbackDelay().toMillis() + 120_000, TimeUnit.MILLISECONDS)) {
                LOG.warn("simulated users did not stop within two minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            producer.close(Duration.ofSeconds(30));
        }
    }
}
