package dev.flywheel.runtime.embedded;

import dev.flywheel.runtime.embedded.ClusterLayout.NodeAddress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.utils.Time;

/** One combined broker+controller KRaft process of an {@link EmbeddedKafka} cluster, running in this JVM. */
final class EmbeddedKafkaNode {

    private final NodeAddress address;
    private final Path logDir;
    private final Properties config;
    private KafkaRaftServer server;

    EmbeddedKafkaNode(ClusterLayout layout, NodeAddress address, Path dataDir, Map<String, String> overrides) {
        this.address = address;
        this.logDir = dataDir.resolve("node-" + address.nodeId());
        this.config = serverProperties(layout, address, logDir, overrides);
    }

    int nodeId() {
        return address.nodeId();
    }

    boolean isRunning() {
        return server != null;
    }

    /** Formats the log dir when it is new (as {@code kafka-storage format} would), then starts the server. */
    synchronized void start(String clusterId) {
        if (server != null) {
            return;
        }
        formatIfNew(clusterId);
        KafkaRaftServer started = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
        started.startup();
        server = started;
    }

    /** Stops the server and waits until it is down; the log dir stays for a later {@link #start}. */
    synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            server = null;
        }
    }

    private void formatIfNew(String clusterId) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        Path configFile = writeConfigFile();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit;
        try (PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            exit = StorageTool.execute(new String[] {
                "format", "--cluster-id", clusterId, "--config", configFile.toString(), "--ignore-formatted"
            }, print);
        }
        if (exit != 0) {
            throw new IllegalStateException("formatting the Kafka log dir " + logDir + " failed (exit " + exit + "): "
                    + out.toString(StandardCharsets.UTF_8));
        }
    }

    private Path writeConfigFile() {
        try {
            Files.createDirectories(logDir);
            Path file = logDir.getParent().resolve("node-" + address.nodeId() + ".properties");
            try (Writer writer = Files.newBufferedWriter(file)) {
                config.store(writer, "Flywheel embedded KRaft node " + address.nodeId());
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the broker config next to " + logDir, e);
        }
    }

    private static Properties serverProperties(ClusterLayout layout, NodeAddress address, Path logDir,
                                               Map<String, String> overrides) {
        int nodes = layout.nodes().size();
        String replication = Integer.toString(Math.min(3, nodes));
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", Integer.toString(address.nodeId()));
        p.setProperty("controller.quorum.voters", layout.quorumVoters());
        p.setProperty("listeners", "PLAINTEXT://" + ClusterLayout.HOST + ":" + address.port()
                + ",CONTROLLER://" + ClusterLayout.HOST + ":" + address.controllerPort());
        p.setProperty("advertised.listeners", "PLAINTEXT://" + ClusterLayout.HOST + ":" + address.port());
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("log.dirs", logDir.toAbsolutePath().toString());
        p.setProperty("default.replication.factor", replication);
        p.setProperty("offsets.topic.replication.factor", replication);
        p.setProperty("transaction.state.log.replication.factor", replication);
        p.setProperty("share.coordinator.state.topic.replication.factor", replication);
        p.setProperty("transaction.state.log.min.isr", nodes >= 3 ? "2" : "1");
        p.setProperty("share.coordinator.state.topic.min.isr", nodes >= 3 ? "2" : "1");
        p.setProperty("min.insync.replicas", "1");
        // A laptop cluster: fewer internal partitions start faster and the first group join doesn't wait 3 s.
        p.setProperty("offsets.topic.num.partitions", "10");
        p.setProperty("transaction.state.log.num.partitions", "10");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("num.partitions", "1");
        p.setProperty("log.cleaner.dedupe.buffer.size", Long.toString(8L * 1024 * 1024));
        p.putAll(overrides);
        return p;
    }
}
