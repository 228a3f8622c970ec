package dev.flywheel.cli.topics;

import dev.flywheel.cli.kafka.KafkaOptions;
import dev.flywheel.runtime.topics.TopicSpec;
import dev.flywheel.runtime.topics.Topics;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code flywheel topics create|list|describe}: Flywheel's topic catalogue on a cluster. */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Creates, lists or describes Flywheel's topics (DESIGN.md §3) under a prefix.",
        subcommands = {TopicsCommand.Create.class, TopicsCommand.ListTopics.class, TopicsCommand.Describe.class})
public final class TopicsCommand {

    /** {@code flywheel topics create}. */
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Creates every Flywheel topic that does not exist yet (safe to run again).")
    static final class Create implements java.util.concurrent.Callable<Integer> {
        @Mixin KafkaOptions kafka;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            Topics topics = kafka.topics();
            try (Admin admin = Admin.create(kafka.adminProperties())) {
                List<String> created = topics.createAll(admin);
                var out = spec.commandLine().getOut();
                for (TopicSpec topic : topics.all()) {
                    out.printf("%-28s %s%n", topic.name(), created.contains(topic.name()) ? "created" : "exists");
                }
            }
            return 0;
        }
    }

    /** {@code flywheel topics list}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists Flywheel's topics with partitions, message type and whether they exist on the cluster.")
    static final class ListTopics implements java.util.concurrent.Callable<Integer> {
        @Mixin KafkaOptions kafka;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Topics topics = kafka.topics();
            try (Admin admin = Admin.create(kafka.adminProperties())) {
                Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
                var out = spec.commandLine().getOut();
                out.printf("%-28s %-10s %-16s %-8s %s%n", "TOPIC", "PARTITIONS", "VALUE", "EXISTS", "CARRIES");
                for (TopicSpec topic : topics.all()) {
                    out.printf("%-28s %-10d %-16s %-8s %s%n", topic.name(), topic.partitions(),
                            topic.valueMessage().orElse("raw bytes"), existing.contains(topic.name()) ? "yes" : "no",
                            topic.description());
                }
            }
            return 0;
        }
    }

    /** {@code flywheel topics describe}. */
    @Command(name = "describe", mixinStandardHelpOptions = true,
            description = "Shows each existing Flywheel topic's partitions, leaders, replicas, ISR and configs.")
    static final class Describe implements java.util.concurrent.Callable<Integer> {
        @Mixin KafkaOptions kafka;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Topics topics = kafka.topics();
            var out = spec.commandLine().getOut();
            try (Admin admin = Admin.create(kafka.adminProperties())) {
                Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
                List<String> names = topics.all().stream().map(TopicSpec::name).filter(existing::contains).toList();
                if (names.isEmpty()) {
                    out.println("No Flywheel topics with prefix '" + topics.prefix()
                            + "' on this cluster: run 'flywheel topics create' first.");
                    return 1;
                }
                Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get(60, TimeUnit.SECONDS);
                List<ConfigResource> resources = names.stream()
                        .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
                Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(60, TimeUnit.SECONDS);
                for (String name : names) {
                    Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name));
                    out.printf("Topic: %s\tPartitions: %d\tcleanup.policy=%s\tretention.ms=%s%n", name,
                            described.get(name).partitions().size(), config.get("cleanup.policy").value(),
                            config.get("retention.ms").value());
                    described.get(name).partitions().forEach(p -> out.printf(
                            "\tPartition: %d\tLeader: %s\tReplicas: %s\tIsr: %s%n", p.partition(),
                            p.leader() == null ? "none" : p.leader().id(),
                            p.replicas().stream().map(n -> Integer.toString(n.id())).toList(),
                            p.isr().stream().map(n -> Integer.toString(n.id())).toList()));
                }
            }
            return 0;
        }
    }
}
