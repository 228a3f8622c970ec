package dev.flywheel.runtime.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * How a service reaches Kafka: bootstrap servers plus client properties passed to every Kafka client untouched.
 *
 * <p>This is how SASL, TLS and any other client setting reach the clients: {@code --kafka-property
 * security.protocol=SASL_SSL} or a properties file. Service defaults are applied first and the user's properties
 * last, so the user always wins.
 */
public record KafkaSettings(String bootstrapServers, Map<String, String> clientProperties) {

    public KafkaSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("--bootstrap-servers is empty: give host:port[,host:port…], "
                    + "e.g. --bootstrap-servers 127.0.0.1:9092");
        }
        clientProperties = Map.copyOf(clientProperties);
    }

    /** Settings with only the bootstrap servers. */
    public static KafkaSettings of(String bootstrapServers) {
        return new KafkaSettings(bootstrapServers, Map.of());
    }

    /** The same settings plus one client property ({@code key=value}); a later value for a key wins. */
    public KafkaSettings withProperty(String key, String value) {
        Map<String, String> merged = new LinkedHashMap<>(clientProperties);
        merged.put(key, value);
        return new KafkaSettings(bootstrapServers, merged);
    }

    /** Parses one {@code --kafka-property key=value} argument. */
    public KafkaSettings withProperty(String keyEqualsValue) {
        int eq = keyEqualsValue.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("--kafka-property '" + keyEqualsValue
                    + "' is not key=value: write it as e.g. --kafka-property security.protocol=SSL");
        }
        return withProperty(keyEqualsValue.substring(0, eq).trim(), keyEqualsValue.substring(eq + 1).trim());
    }

    /** The same settings plus every property of a Java properties file (as for Kafka's own tools). */
    public KafkaSettings withPropertiesFile(Path file) {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("--kafka-config " + file + " cannot be read (" + e.getMessage()
                    + "): give the path of a readable Java properties file", e);
        }
        KafkaSettings merged = this;
        for (String key : props.stringPropertyNames()) {
            merged = merged.withProperty(key, props.getProperty(key));
        }
        return merged;
    }

    /** Properties for an admin client or producer: bootstrap servers, then the user's properties. */
    public Properties clientProperties(Map<String, ?> serviceDefaults) {
        Properties props = new Properties();
        props.putAll(serviceDefaults);
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.putAll(clientProperties);
        return props;
    }

    /** Properties for an admin client. */
    public Properties adminProperties() {
        return clientProperties(Map.of());
    }

    /** Properties for a consumer in {@code groupId}, with the service's defaults under the user's properties. */
    public Properties consumerProperties(String groupId, Map<String, ?> serviceDefaults) {
        Properties props = clientProperties(serviceDefaults);
        // The group is the service's identity (its offsets, its lag), so a blanket group.id property never replaces it.
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        return props;
    }
}
