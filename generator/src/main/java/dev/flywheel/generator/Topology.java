package dev.flywheel.generator;

import dev.flywheel.runtime.config.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;

/** How the generator is wired to Kafka: which topics it needs, and its consumer's identity. */
final class Topology {
    private Topology() {
    }

    /** The prompt topic's partitions, after checking every topic the generator uses exists. */
    static List<TopicPartition> promptPartitions(Admin admin, GeneratorConfig config, Duration timeout) {
        String prompts = config.topics().prompts().name();
        List<String> needed = new ArrayList<>(List.of(prompts, config.topics().rollouts().name(),
                config.topics().policyVersions().name(), config.topics().deadLetters().name()));
        if (config.boundsDownstreamLag()) {
            needed.add(config.downstreamTopic());
        }
        try {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<String> missing = needed.stream().filter(topic -> !existing.contains(topic)).toList();
            if (!missing.isEmpty()) {
                throw new IllegalStateException("topics " + missing + " do not exist: create Flywheel's topics with "
                        + "'flywheel topics create --prefix " + config.topics().prefix() + "' (or check --prefix)");
            }
            TopicDescription description = admin.describeTopics(List.of(prompts)).allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(prompts);
            return description.partitions().stream().map(p -> new TopicPartition(prompts, p.partition())).toList();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe Flywheel's topics: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out listing topics: is Kafka reachable at the bootstrap servers?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing topics", e);
        }
    }

    /**
     * Consumer properties of the prompt consumer: read_committed, from the earliest prompt, and a static member id
     * derived from the instance id, so a restarted instance takes its partitions back without waiting out the dead
     * one's session.
     */
    static Properties consumerProperties(KafkaSettings kafka, GeneratorConfig config) {
        Map<String, Object> defaults = new HashMap<>();
        defaults.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        defaults.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        defaults.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2 * config.batchSize());
        defaults.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.transactionalId());
        return kafka.consumerProperties(config.consumerGroup(), defaults);
    }

    /** Whether {@code error} means another live instance took over this instance's transactional or member id. */
    static boolean fenced(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProducerFencedException || cause instanceof InvalidProducerEpochException
                    || cause instanceof FencedInstanceIdException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
