package dev.flywheel.schemas.serde;

import dev.flywheel.schemas.MessageFixtures;
import dev.flywheel.schemas.Prompt;
import dev.flywheel.schemas.ScoredRollout;
import java.nio.ByteBuffer;

/**
 * Run in a fresh JVM by {@link TrustedSchemaPackageTest}: decodes with Avro's generated decoder directly
 * ({@code bare}) or through Flywheel's serde ({@code serde}) and prints what happened.
 */
public final class TrustProbe {

  private TrustProbe() {}

  public static void main(String[] args) throws Exception {
    System.out.println("property=" + System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES"));
    if (args[0].equals("bare")) {
      ByteBuffer bytes = MessageFixtures.prompt(1).toByteBuffer();
      try {
        System.out.println("decoded " + Prompt.fromByteBuffer(bytes).getId());
      } catch (SecurityException e) {
        System.out.println("refused " + e.getMessage());
      }
    } else {
      AvroSerde<ScoredRollout> serde = AvroSerdes.scoredRollout();
      ScoredRollout original = MessageFixtures.scoredRollout(2);
      ScoredRollout decoded = serde.deserializer().deserialize("t", serde.serializer().serialize("t", original));
      System.out.println("decoded " + decoded.getId() + " equal=" + decoded.equals(original));
    }
  }
}
