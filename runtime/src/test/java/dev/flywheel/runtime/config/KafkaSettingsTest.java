package dev.flywheel.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaSettingsTest {

    @Test
    void userPropertiesReachClientsUntouchedAndWinOverServiceDefaults(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\n");
        KafkaSettings settings = KafkaSettings.of("broker:9093")
                .withPropertiesFile(file)
                .withProperty("linger.ms=5")
                .withProperty("group.id=someone-else");

        Properties consumer = settings.consumerProperties("flywheel-learner", Map.of("linger.ms", "100", "max.poll.records", "50"));
        assertThat(consumer).containsEntry("bootstrap.servers", "broker:9093")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry("linger.ms", "5")
                .containsEntry("max.poll.records", "50")
                .containsEntry("group.id", "flywheel-learner");
    }

    @Test
    void badPropertyArgumentNamesTheFlagAndTheFix() {
        assertThatThrownBy(() -> KafkaSettings.of("x:1").withProperty("no-equals-sign"))
                .hasMessageContaining("--kafka-property").hasMessageContaining("key=value");
        assertThatThrownBy(() -> KafkaSettings.of(" "))
                .hasMessageContaining("--bootstrap-servers");
    }
}
