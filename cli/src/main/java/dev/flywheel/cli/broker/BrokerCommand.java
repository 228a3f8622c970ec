package dev.flywheel.cli.broker;

import dev.flywheel.runtime.embedded.EmbeddedKafka;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code flywheel broker}: a real Apache Kafka broker (KRaft) in the foreground, for a laptop or a test rig. */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = {
            "Runs an embedded Apache Kafka 4.4 cluster in KRaft mode on 127.0.0.1 in the foreground.",
            "Prints bootstrap.servers=127.0.0.1:PORT once it accepts connections; Ctrl-C stops it cleanly.",
            "Topics and records persist in --data-dir across restarts."
        })
public final class BrokerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "9092", paramLabel = "PORT",
            description = "Client port of the first node; 0 picks a free port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data-dir", defaultValue = "data/broker", paramLabel = "DIR",
            description = "Where the logs live; reused on restart (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--nodes", defaultValue = "1", paramLabel = "N",
            description = "Number of combined broker+controller nodes; 3 gives replication factor 3 (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Override
    public Integer call() throws InterruptedException {
        var out = spec.commandLine().getOut();
        out.printf("Starting Apache Kafka (KRaft, %d node%s) with data in %s …%n", nodes, nodes == 1 ? "" : "s",
                dataDir.toAbsolutePath());
        out.flush();
        EmbeddedKafka kafka = EmbeddedKafka.builder().nodes(nodes).port(port).dataDir(dataDir).build();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            out.println("Stopping the broker …");
            out.flush();
            kafka.close();
            stopped.countDown();
        }, "flywheel-broker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        kafka.start();
        out.println("bootstrap.servers=" + kafka.bootstrapServers());
        out.flush();
        stopped.await();
        return 0;
    }
}
