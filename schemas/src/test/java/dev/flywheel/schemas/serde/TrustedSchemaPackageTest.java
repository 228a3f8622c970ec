package dev.flywheel.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.avro.util.ClassSecurityValidator;
import org.junit.jupiter.api.Test;

/**
 * AVRO-4189: Avro 1.12.2 refuses to instantiate untrusted generated classes. Each check runs in a fresh JVM
 * with no Avro system property, so no earlier test's trust and no -D flag can make it pass by accident.
 */
class TrustedSchemaPackageTest {

  @Test
  void plainAvroRefusesOurGeneratedClassesInAFreshJvm() throws Exception {
    // Shows the guard is real, so the next test proves something.
    List<String> out = runProbe("bare");
    assertThat(out).hasSize(2);
    assertThat(out.get(0)).isEqualTo("property=null");
    assertThat(out.get(1)).startsWith("refused Forbidden dev.flywheel.schemas.Prompt!");
  }

  @Test
  void serdeDecodesGeneratedClassesInAFreshJvmWithoutAnySystemProperty() throws Exception {
    assertThat(runProbe("serde")).containsExactly("property=null", "decoded r-2 equal=true");
  }

  @Test
  void trustingTwiceKeepsOnePredicateAndTrustsNestedClasses() {
    TrustedSchemaPackage.ensureTrusted();
    ClassSecurityValidator.ClassSecurityPredicate once = ClassSecurityValidator.getGlobal();
    TrustedSchemaPackage.ensureTrusted();
    assertThat(ClassSecurityValidator.getGlobal()).isSameAs(once);
    assertThat(once.isTrusted(dev.flywheel.schemas.SamplingParams.class)).isTrue();
    assertThat(once.isTrusted(dev.flywheel.schemas.Prompt.Builder.class)).isTrue();
    assertThat(once.isTrusted(java.net.URLClassLoader.class)).isFalse();
  }

  private static List<String> runProbe(String mode) throws IOException, InterruptedException {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp", classpath, TrustProbe.class.getName(), mode)
        .redirectErrorStream(true);
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    builder.environment().remove("JDK_JAVA_OPTIONS");
    Process process = builder.start();
    process.getOutputStream().close();
    byte[] output = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("probe finished").isTrue();
    String text = new String(output, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as("probe exit code; output:%n%s", text).isZero();
    return text.lines().filter(line -> !line.isBlank()).toList();
  }
}
