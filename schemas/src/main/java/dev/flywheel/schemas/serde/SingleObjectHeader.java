package dev.flywheel.schemas.serde;

import java.util.OptionalLong;

/** The header of Avro single-object encoding: marker {@code C3 01}, then the writer schema's 8-byte fingerprint. */
public final class SingleObjectHeader {

  /** Bytes before the body: two marker bytes and the fingerprint. */
  public static final int LENGTH = 10;

  private static final byte MARKER_0 = (byte) 0xC3;
  private static final byte MARKER_1 = (byte) 0x01;

  private SingleObjectHeader() {}

  /** The writer schema's CRC-64-AVRO fingerprint, or empty when {@code data} does not start with the header. */
  public static OptionalLong fingerprint(byte[] data) {
    if (data == null || data.length < LENGTH || data[0] != MARKER_0 || data[1] != MARKER_1) {
      return OptionalLong.empty();
    }
    long fingerprint = 0;
    for (int i = LENGTH - 1; i >= 2; i--) {
      fingerprint = (fingerprint << 8) | (data[i] & 0xFF);
    }
    return OptionalLong.of(fingerprint);
  }
}
