package dev.flywheel.runtime.embedded;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;

/**
 * The identity of an embedded cluster that must survive restarts: cluster id and every node's ports.
 *
 * <p>It is saved in the data directory so that a broker restarted on the same directory comes back with the same
 * cluster id (Kafka refuses a log dir formatted for another cluster) and the same addresses clients know.
 */
record ClusterLayout(String clusterId, List<NodeAddress> nodes) {

    static final String FILE_NAME = "flywheel-cluster.properties";
    static final String HOST = "127.0.0.1";

    /** One node's node id, client port and controller port. */
    record NodeAddress(int nodeId, int port, int controllerPort) {}

    ClusterLayout {
        nodes = List.copyOf(nodes);
    }

    /** A new layout: node 0 takes {@code firstPort} when it is not 0, every other port is a free one. */
    static ClusterLayout fresh(int nodeCount, int firstPort) {
        List<NodeAddress> nodes = new ArrayList<>();
        for (int id = 0; id < nodeCount; id++) {
            int port = id == 0 && firstPort > 0 ? firstPort : freePort();
            nodes.add(new NodeAddress(id, port, freePort()));
        }
        return new ClusterLayout(Uuid.randomUuid().toString(), nodes);
    }

    /** The layout saved in {@code dataDir}, or empty when the directory holds none. */
    static java.util.Optional<ClusterLayout> readFrom(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return java.util.Optional.empty();
        }
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        int count = Integer.parseInt(props.getProperty("nodes"));
        List<NodeAddress> nodes = new ArrayList<>();
        for (int id = 0; id < count; id++) {
            nodes.add(new NodeAddress(id,
                    Integer.parseInt(props.getProperty("node." + id + ".port")),
                    Integer.parseInt(props.getProperty("node." + id + ".controller.port"))));
        }
        return java.util.Optional.of(new ClusterLayout(props.getProperty("cluster.id"), nodes));
    }

    void writeTo(Path dataDir) {
        Properties props = new Properties();
        props.setProperty("cluster.id", clusterId);
        props.setProperty("nodes", Integer.toString(nodes.size()));
        for (NodeAddress node : nodes) {
            props.setProperty("node." + node.nodeId() + ".port", Integer.toString(node.port()));
            props.setProperty("node." + node.nodeId() + ".controller.port", Integer.toString(node.controllerPort()));
        }
        try {
            Files.createDirectories(dataDir);
            Path tmp = Files.createTempFile(dataDir, FILE_NAME, ".tmp");
            try (Writer out = Files.newBufferedWriter(tmp)) {
                props.store(out, "Flywheel embedded Kafka cluster layout; delete the data directory to start afresh");
            }
            Files.move(tmp, dataDir.resolve(FILE_NAME), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the cluster layout into " + dataDir, e);
        }
    }

    /** The same cluster with node 0 moved to {@code port}, for a restart that asks for another port. */
    ClusterLayout withFirstPort(int port) {
        List<NodeAddress> moved = new ArrayList<>(nodes);
        NodeAddress first = moved.get(0);
        moved.set(0, new NodeAddress(first.nodeId(), port, first.controllerPort()));
        return new ClusterLayout(clusterId, moved);
    }

    String quorumVoters() {
        return nodes.stream()
                .map(n -> n.nodeId() + "@" + HOST + ":" + n.controllerPort())
                .collect(Collectors.joining(","));
    }

    String bootstrapServers() {
        return nodes.stream().map(n -> HOST + ":" + n.port()).collect(Collectors.joining(","));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free TCP port on " + HOST, e);
        }
    }
}
