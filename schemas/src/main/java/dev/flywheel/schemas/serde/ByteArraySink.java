package dev.flywheel.schemas.serde;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * An unsynchronized, reusable, growable output stream. Avro's message encoder writes each value straight
 * to its stream; {@link java.io.ByteArrayOutputStream} takes a lock on every write, this does not.
 */
final class ByteArraySink extends OutputStream {

  private static final int INITIAL_CAPACITY = 4096;
  // A pooled buffer that grew for one huge record should not stay huge for the thread's lifetime.
  private static final int RETAINED_CAPACITY = 1 << 20;

  private byte[] buffer = new byte[INITIAL_CAPACITY];
  private int size;

  ByteArraySink reset() {
    if (buffer.length > RETAINED_CAPACITY) {
      buffer = new byte[INITIAL_CAPACITY];
    }
    size = 0;
    return this;
  }

  @Override
  public void write(int b) {
    ensureCapacity(size + 1);
    buffer[size++] = (byte) b;
  }

  @Override
  public void write(byte[] source, int offset, int length) {
    ensureCapacity(size + length);
    System.arraycopy(source, offset, buffer, size, length);
    size += length;
  }

  /** The bytes written since {@link #reset()}, as a new array of exactly that length. */
  byte[] toByteArray() {
    return Arrays.copyOf(buffer, size);
  }

  private void ensureCapacity(int needed) {
    if (needed > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(needed, buffer.length * 2));
    }
  }
}
