package dev.flywheel.core.store;

import dev.flywheel.core.model.ModelConfig;
import dev.flywheel.core.model.NamedTensor;
import dev.flywheel.core.optim.OptimizerState;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The checkpoint file format: a magic line, a version, then config, tokenizer, metadata, parameters and optional
 * optimizer state, all big-endian with length-prefixed UTF-8 strings. No timestamps and a fixed order, so the same
 * checkpoint always encodes to the same bytes (and so to the same sha256).
 */
final class CheckpointCodec {

    private static final byte[] MAGIC = "FLYWHEEL-CKPT\n".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    private CheckpointCodec() {
    }

    static byte[] encode(Checkpoint c) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(MAGIC);
            out.writeInt(VERSION);
            writeString(out, c.config().toText());
            writeString(out, c.tokenizer());
            out.writeInt(c.metadata().size());
            for (Map.Entry<String, String> e : c.metadata().entrySet()) {
                writeString(out, e.getKey());
                writeString(out, e.getValue());
            }
            writeTensors(out, c.parameters());
            out.writeBoolean(c.optimizer().isPresent());
            if (c.optimizer().isPresent()) {
                OptimizerState s = c.optimizer().get();
                out.writeLong(s.step());
                writeTensors(out, s.firstMoments());
                writeTensors(out, s.secondMoments());
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("encoding a checkpoint in memory failed", e);
        }
    }

    static Checkpoint decode(byte[] data, String source) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new CorruptCheckpointException(source + " is not a Flywheel checkpoint (bad magic header)");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new CorruptCheckpointException(source + " has checkpoint format version " + version
                        + "; this build reads version " + VERSION);
            }
            ModelConfig config = ModelConfig.fromText(readString(in));
            String tokenizer = readString(in);
            int metaCount = in.readInt();
            TreeMap<String, String> metadata = new TreeMap<>();
            for (int i = 0; i < metaCount; i++) {
                metadata.put(readString(in), readString(in));
            }
            List<NamedTensor> params = readTensors(in);
            Optional<OptimizerState> optimizer = Optional.empty();
            if (in.readBoolean()) {
                long step = in.readLong();
                optimizer = Optional.of(new OptimizerState(step, readTensors(in), readTensors(in)));
            }
            if (in.available() > 0) {
                throw new CorruptCheckpointException(source + " has " + in.available() + " unexpected trailing bytes");
            }
            return new Checkpoint(config, tokenizer, params, optimizer, metadata);
        } catch (IOException | RuntimeException e) {
            if (e instanceof CorruptCheckpointException c) {
                throw c;
            }
            throw new CorruptCheckpointException(source + " could not be decoded: " + e.getMessage(), e);
        }
    }

    private static void writeTensors(DataOutputStream out, List<NamedTensor> tensors) throws IOException {
        out.writeInt(tensors.size());
        for (NamedTensor t : tensors) {
            writeString(out, t.name());
            out.writeInt(t.shape().length);
            for (long d : t.shape()) {
                out.writeLong(d);
            }
            ByteBuffer buf = ByteBuffer.allocate(t.values().length * Float.BYTES).order(ByteOrder.BIG_ENDIAN);
            buf.asFloatBuffer().put(t.values());
            out.write(buf.array());
        }
    }

    private static List<NamedTensor> readTensors(DataInputStream in) throws IOException {
        int count = in.readInt();
        List<NamedTensor> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name = readString(in);
            long[] shape = new long[in.readInt()];
            long n = 1;
            for (int d = 0; d < shape.length; d++) {
                shape[d] = in.readLong();
                n *= shape[d];
            }
            byte[] raw = in.readNBytes(Math.toIntExact(n * Float.BYTES));
            if (raw.length != n * Float.BYTES) {
                throw new IOException("tensor " + name + " is truncated");
            }
            float[] values = new float[(int) n];
            ByteBuffer.wrap(raw).order(ByteOrder.BIG_ENDIAN).asFloatBuffer().get(values);
            out.add(new NamedTensor(name, shape, values));
        }
        return out;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("string length " + n + " exceeds the remaining bytes");
        }
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }
}
