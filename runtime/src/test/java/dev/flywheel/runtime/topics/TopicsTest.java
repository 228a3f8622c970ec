package dev.flywheel.runtime.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.runtime.embedded.EmbeddedKafkaExtension;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TopicsTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = EmbeddedKafkaExtension.singleNode();

    @Test
    void catalogueNamesEveryTopicOfTheDesignUnderItsPrefix() {
        assertThat(Topics.defaults().all()).extracting(TopicSpec::name).containsExactly(
                "fw.prompts", "fw.rollouts", "fw.feedback", "fw.scored-rollouts", "fw.preferences",
                "fw.policy-versions", "fw.metrics", "fw.dead-letters");
        assertThat(Topics.withPrefix("exp1.").prompts().name()).isEqualTo("exp1.prompts");
        assertThat(Topics.defaults().rollouts().valueMessage()).contains("Rollout");
        assertThat(Topics.defaults().deadLetters().valueMessage()).isEmpty();
    }

    @Test
    void createAllIsIdempotentAndAppliesPartitionsAndRetention() throws Exception {
        Topics topics = Topics.withPrefix("idem.");
        try (Admin admin = Admin.create(admin())) {
            assertThat(topics.createAll(admin)).hasSize(8);
            assertThat(topics.createAll(admin)).isEmpty();

            Map<String, TopicDescription> described = admin.describeTopics(List.of("idem.prompts", "idem.policy-versions"))
                    .allTopicNames().get(30, TimeUnit.SECONDS);
            assertThat(described.get("idem.prompts").partitions()).hasSize(3);
            assertThat(described.get("idem.policy-versions").partitions()).hasSize(1);

            ConfigResource versions = new ConfigResource(ConfigResource.Type.TOPIC, "idem.policy-versions");
            Config config = admin.describeConfigs(List.of(versions)).all().get(30, TimeUnit.SECONDS).get(versions);
            assertThat(config.get("retention.ms").value()).isEqualTo("-1");
        }
    }

    @Test
    void withPartitionsResizesDataTopicsOnly() {
        Topics topics = Topics.defaults().withPartitions(8);
        assertThat(topics.prompts().partitions()).isEqualTo(8);
        assertThat(topics.policyVersions().partitions()).isEqualTo(1);
    }

    @Test
    void recognisesACatalogueTopicUnderAnyPrefix() {
        assertThat(Topics.recognise("exp1.scored-rollouts")).get()
                .satisfies(spec -> assertThat(spec.valueMessage()).contains("ScoredRollout"))
                .satisfies(spec -> assertThat(spec.keyField()).contains("promptId"));
        assertThat(Topics.recognise("fw.rollouts").map(TopicSpec::valueMessage)).contains(java.util.Optional.of("Rollout"));
        assertThat(Topics.recognise("fw.prompts").flatMap(TopicSpec::keyField)).contains("id");
        assertThat(Topics.recognise("orders")).isEmpty();
    }

    @Test
    void rejectsAPrefixKafkaCannotName() {
        assertThatThrownBy(() -> Topics.withPrefix("bad prefix/"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--prefix");
    }

    private static Properties admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        return props;
    }
}
