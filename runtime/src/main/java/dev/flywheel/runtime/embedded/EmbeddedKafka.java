package dev.flywheel.runtime.embedded;

import dev.flywheel.runtime.topics.TopicReadiness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka cluster in KRaft mode (combined broker+controller nodes) running inside this JVM.
 *
 * <p>Built from the broker jars on Maven Central: each node's log dir is formatted the way {@code kafka-storage
 * format} does and started as a {@code KafkaRaftServer}. Listens on 127.0.0.1 only. A data directory given by the
 * caller survives restarts (topics and records stay); without one a temporary directory is used and deleted on
 * {@link #close()}.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final Path dataDir;
    private final boolean temporary;
    private final ClusterLayout layout;
    private final List<EmbeddedKafkaNode> nodes = new ArrayList<>();
    private final Duration startTimeout;
    private final DataDirLock lock;

    private EmbeddedKafka(Builder builder) {
        this.temporary = builder.dataDir == null;
        this.dataDir = temporary ? createTempDir() : builder.dataDir.toAbsolutePath();
        this.startTimeout = builder.startTimeout;
        this.lock = DataDirLock.acquire(dataDir);
        this.layout = resolveLayout(builder);
        layout.writeTo(dataDir);
        for (ClusterLayout.NodeAddress address : layout.nodes()) {
            nodes.add(new EmbeddedKafkaNode(layout, address, dataDir, builder.brokerProperties));
        }
    }

    /** A builder for a cluster; {@code EmbeddedKafka.builder().nodes(3).build().start()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts every node and returns once the cluster answers with all of them. */
    public EmbeddedKafka start() {
        long began = System.nanoTime();
        // The controllers of a multi-node quorum must come up together to elect a leader, so start them in parallel.
        nodes.parallelStream().forEach(node -> node.start(layout.clusterId()));
        awaitNodes(nodes.size());
        log.info("Embedded Kafka ({} node{}) ready on {} in {} ms, data in {}", nodes.size(),
                nodes.size() == 1 ? "" : "s", bootstrapServers(), (System.nanoTime() - began) / 1_000_000, dataDir);
        return this;
    }

    /** The {@code bootstrap.servers} value for clients. */
    public String bootstrapServers() {
        return layout.bootstrapServers();
    }

    /** The client port of node 0. */
    public int port() {
        return layout.nodes().get(0).port();
    }

    public int nodeCount() {
        return nodes.size();
    }

    public Path dataDir() {
        return dataDir;
    }

    public String clusterId() {
        return layout.clusterId();
    }

    /** Stops one node (for fault tests); the others keep serving if a quorum remains. */
    public void stopNode(int nodeId) {
        nodes.get(nodeId).stop();
    }

    /** Starts a node stopped by {@link #stopNode} and waits until the cluster sees it again. */
    public void startNode(int nodeId) {
        nodes.get(nodeId).start(layout.clusterId());
        awaitNodes((int) nodes.stream().filter(EmbeddedKafkaNode::isRunning).count());
    }

    /** Admin client properties for this cluster. */
    public Properties clientProperties() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return props;
    }

    /**
     * Creates a topic with replication factor min(3, nodes) and returns once every partition has a leader; an existing
     * topic is left as it is.
     */
    public void createTopic(String name, int partitions) {
        short replication = (short) Math.min(3, nodes.size());
        try (Admin admin = Admin.create(clientProperties())) {
            try {
                admin.createTopics(List.of(new NewTopic(name, partitions, replication))).all().get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + name, e.getCause());
                }
            }
            TopicReadiness.awaitLeaders(admin, List.of(name), Duration.ofSeconds(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out creating topic " + name, e);
        }
    }

    /** Stops every node; a temporary data directory is deleted. */
    @Override
    public void close() {
        // Brokers first, so that they do not wait on a controller quorum that is already gone.
        List<EmbeddedKafkaNode> reversed = new ArrayList<>(nodes);
        java.util.Collections.reverse(reversed);
        reversed.parallelStream().forEach(EmbeddedKafkaNode::stop);
        lock.release();
        if (temporary) {
            deleteRecursively(dataDir);
        }
    }

    private void awaitNodes(int expected) {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        Properties props = clientProperties();
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        try (Admin admin = Admin.create(props)) {
            Exception last = null;
            while (System.nanoTime() < deadline) {
                try {
                    int seen = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size();
                    if (seen >= expected) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("embedded Kafka did not show " + expected + " node(s) on "
                    + bootstrapServers() + " within " + startTimeout, last);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for embedded Kafka", e);
        }
    }

    private static ClusterLayout resolveLayout(Builder builder) {
        Path dir = builder.dataDir == null ? null : builder.dataDir.toAbsolutePath();
        Optional<ClusterLayout> saved = dir == null ? Optional.empty() : ClusterLayout.readFrom(dir);
        if (saved.isEmpty()) {
            return ClusterLayout.fresh(builder.nodes, builder.port);
        }
        ClusterLayout layout = saved.get();
        if (layout.nodes().size() != builder.nodes) {
            throw new IllegalArgumentException("--data-dir " + dir + " holds a " + layout.nodes().size()
                    + "-node cluster, not " + builder.nodes + ": use --nodes " + layout.nodes().size()
                    + " or another --data-dir");
        }
        return builder.port > 0 && builder.port != layout.nodes().get(0).port() ? layout.withFirstPort(builder.port) : layout;
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("flywheel-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for embedded Kafka", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("could not delete {}: {}", dir, e.toString());
        }
    }

    /** Options of an {@link EmbeddedKafka}. */
    public static final class Builder {
        private int nodes = 1;
        private int port;
        private Path dataDir;
        private Duration startTimeout = Duration.ofSeconds(120);
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();

        private Builder() {}

        /** Number of combined broker+controller nodes (1 or more; 3 for replication-factor-3 tests). */
        public Builder nodes(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("--nodes must be at least 1, was " + count);
            }
            this.nodes = count;
            return this;
        }

        /** Client port of node 0; 0 (the default) picks a free port. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("--port must be between 0 and 65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** Where logs and the cluster layout live; omitted, a temporary directory deleted on close. */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /** A broker config override, e.g. {@code brokerProperty("log.retention.ms", "60000")}. */
        public Builder brokerProperty(String key, String value) {
            brokerProperties.put(key, value);
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        public EmbeddedKafka build() {
            return new EmbeddedKafka(this);
        }
    }
}
