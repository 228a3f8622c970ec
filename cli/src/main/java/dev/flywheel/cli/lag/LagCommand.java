package dev.flywheel.cli.lag;

import dev.flywheel.cli.kafka.KafkaOptions;
import dev.flywheel.monitor.lag.LagConfig;
import dev.flywheel.monitor.lag.LagReader;
import dev.flywheel.monitor.lag.LagReport;
import dev.flywheel.monitor.lag.LagWindow;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flywheel lag}: consumer lag of Flywheel's groups in records and seconds, with a Burrow-style status. */
@Command(name = "lag", mixinStandardHelpOptions = true,
        description = {
            "Shows consumer lag per group, topic and partition: committed and end offsets, lag in records (as",
            "kafka-consumer-groups --describe), lag in seconds (age of the record at the committed offset) and a status",
            "(OK, WARNING: lag only grows, STALL: a live consumer's offset stands still, STOP: no consumer owns a",
            "partition with lag, REWIND: the offset went back). Reports every group committed on a Flywheel topic under",
            "--prefix, plus each --group. STALL and WARNING need a full window of samples: use --watch."
        })
public final class LagCommand implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Mixin KafkaOptions kafka;

    @Option(names = "--group", paramLabel = "GROUP",
            description = "Also report this consumer group, whatever topics it reads (repeatable).")
    List<String> groups = new ArrayList<>();

    @Option(names = "--json", description = "Print JSON (one line per sample) instead of a table.")
    boolean json;

    @Option(names = "--watch", description = "Sample again every --interval until Ctrl-C (or --count samples).")
    boolean watch;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "PT5S",
            description = "Time between samples with --watch, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--window", paramLabel = "N", defaultValue = "12",
            description = "Samples the status is judged over with --watch (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--count", paramLabel = "N",
            description = "With --watch, stop after N samples (default: until Ctrl-C).")
    Integer count;

    @Override
    public Integer call() throws InterruptedException {
        LagConfig config = config();
        PrintWriter out = spec.commandLine().getOut();
        if (!watch) {
            try (LagReader reader = LagReader.connect(kafka.settings(), config)) {
                print(out, reader.read(), config);
            }
            return 0;
        }
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        // Ctrl-C: end the loop, then hold the JVM until the Kafka clients are closed.
        Thread hook = new Thread(() -> {
            stop.countDown();
            awaitQuietly(stopped);
        }, "flywheel-lag-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (LagReader reader = LagReader.connect(kafka.settings(), config)) {
            LagWindow history = LagWindow.ofSize(config.windowSize());
            int samples = 0;
            do {
                print(out, history.add(reader.read()), config);
                samples++;
            } while ((count == null || samples < count) && !stop.await(interval.toMillis(), TimeUnit.MILLISECONDS));
        } finally {
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the JVM is exiting, and the reader is closed above.
            }
        }
        return 0;
    }

    private void print(PrintWriter out, LagReport report, LagConfig config) {
        if (json) {
            out.println(report.toJson());
        } else if (report.groups().isEmpty()) {
            out.println(report.at() + ": no consumer group has committed on a topic under prefix '"
                    + config.topicPrefix() + "'; name others with --group.");
        } else {
            if (watch) {
                out.println(report.at());
            }
            LagTable.of(report).forEach(out::println);
            out.println();
        }
        out.flush();
    }

    private LagConfig config() {
        if (count != null && count < 1) {
            throw new IllegalArgumentException("--count must be at least 1, was " + count);
        }
        if (count != null && !watch) {
            throw new IllegalArgumentException("--count only applies with --watch: add --watch or drop --count");
        }
        return LagConfig.defaults().withInterval(interval).withWindowSize(window).withGroups(groups)
                .withTopicPrefix(kafka.topics().prefix());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
