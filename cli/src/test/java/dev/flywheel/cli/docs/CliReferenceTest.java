package dev.flywheel.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CliReferenceTest {

    private static final Path README = Path.of("..", "README.md");

    @Test
    void readmeReferenceMatchesPicocliUsage() throws Exception {
        String readme = Files.readString(README);
        if (Boolean.getBoolean("flywheel.updateReadme")) {
            Files.writeString(README, CliReference.withReference(readme));
            readme = Files.readString(README);
        }
        assertThat(CliReference.sectionOf(readme))
                .as("README.md's CLI reference is stale: regenerate it with "
                        + "mvn -B -pl cli -am test -Dtest=CliReferenceTest -Dsurefire.failIfNoSpecifiedTests=false "
                        + "-Dflywheel.updateReadme=true")
                .isEqualTo(CliReference.markdown());
    }

    @Test
    void referenceCoversEveryTopLevelCommand() {
        assertThat(CliReference.markdown()).contains("#### `flywheel broker`", "#### `flywheel topics create`");
    }
}
