package dev.flywheel.cli.kafka;

import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.runtime.topics.Topics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options every command that talks to Kafka takes: where the cluster is, and client properties to pass on. */
public final class KafkaOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,…]", defaultValue = "127.0.0.1:9092",
            description = "Kafka brokers to connect to (default: ${DEFAULT-VALUE}, where 'flywheel broker' listens).")
    String bootstrapServers;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
            description = "A Kafka client property passed to every client untouched (repeatable), "
                    + "e.g. security.protocol=SASL_SSL.")
    List<String> properties = new ArrayList<>();

    @Option(names = "--kafka-config", paramLabel = "FILE",
            description = "A Java properties file of Kafka client properties (SASL/TLS settings and the like).")
    Path configFile;

    @Option(names = "--prefix", paramLabel = "PREFIX", defaultValue = Topics.DEFAULT_PREFIX,
            description = "Prefix of Flywheel's topic names (default: ${DEFAULT-VALUE}).")
    String prefix;

    /** The settings these options describe: file first, then each --kafka-property in order. */
    public KafkaSettings settings() {
        KafkaSettings settings = KafkaSettings.of(bootstrapServers);
        if (configFile != null) {
            settings = settings.withPropertiesFile(configFile);
        }
        for (String property : properties) {
            settings = settings.withProperty(property);
        }
        return settings;
    }

    /** Admin client properties that give up after 30 s, so a wrong address fails with a message, not a hang. */
    public java.util.Properties adminProperties() {
        return settings().clientProperties(java.util.Map.of("default.api.timeout.ms", 30_000, "request.timeout.ms", 10_000));
    }

    /** The topic catalogue under {@code --prefix}. */
    public Topics topics() {
        return Topics.withPrefix(prefix);
    }
}
