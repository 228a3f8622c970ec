package dev.flywheel.schemas.serde;

import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Adds Flywheel's message package to Avro's trusted classes, which Avro 1.12.2 requires before it
 * instantiates generated classes (AVRO-4189: otherwise {@code SecurityException: Forbidden ... not trusted}).
 *
 * <p>Avro keeps one global predicate; this composes it with ours once, so a predicate another library
 * installed stays in force and no {@code -Dorg.apache.avro.SERIALIZABLE_PACKAGES} flag is needed.
 */
public final class TrustedSchemaPackage {

  /** The package whose classes (and subpackages) are trusted. */
  public static final String PACKAGE = "dev.flywheel.schemas";

  private static final ClassSecurityPredicate FLYWHEEL_CLASSES =
      type -> type.getName().startsWith(PACKAGE + ".");

  private TrustedSchemaPackage() {}

  /** Makes sure Avro trusts {@value #PACKAGE}; cheap and idempotent, safe from any thread. */
  public static void ensureTrusted() {
    // Avro's global is a plain static field; lock on its class so concurrent callers compose it only once.
    synchronized (ClassSecurityValidator.class) {
      ClassSecurityPredicate current = ClassSecurityValidator.getGlobal();
      if (!current.isTrusted(TrustedSchemaPackage.class)) {
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(FLYWHEEL_CLASSES, current));
      }
    }
  }
}
