package dev.flywheel.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * (prompt, response) pairs as one left-padded batch of {@code prompt + response}, with the response positions known.
 *
 * <p>Per-token tensors here are (B, L-1): column t scores token t+1 given tokens 0..t. Because of left padding each
 * row's response occupies its last {@code responseLength(i)} columns, so {@link #responseMask} is a right-aligned
 * block and {@link #rightAligned} turns per-response Java arrays (behaviour log-probs, rewards) into tensors that
 * line up with it.
 */
public final class ResponseBatch {

    private final TokenBatch sequences;
    private final int[] responseLengths;

    private ResponseBatch(TokenBatch sequences, int[] responseLengths) {
        this.sequences = sequences;
        this.responseLengths = responseLengths;
    }

    /** Concatenates each prompt with its response; prompts need at least one token, responses may be empty. */
    public static ResponseBatch of(List<int[]> prompts, List<int[]> responses, int padId, int context) {
        if (prompts.size() != responses.size()) {
            throw new IllegalArgumentException("got " + prompts.size() + " prompts but " + responses.size()
                    + " responses; give one response per prompt");
        }
        List<int[]> joined = new ArrayList<>(prompts.size());
        int[] lengths = new int[prompts.size()];
        for (int i = 0; i < prompts.size(); i++) {
            int[] p = prompts.get(i);
            int[] r = responses.get(i);
            if (p == null || p.length == 0) {
                throw new IllegalArgumentException("prompt " + i + " is empty; a prompt needs at least one token "
                        + "(BOS) so the first response token has something to be predicted from");
            }
            int[] seq = new int[p.length + r.length];
            System.arraycopy(p, 0, seq, 0, p.length);
            System.arraycopy(r, 0, seq, p.length, r.length);
            joined.add(seq);
            lengths[i] = r.length;
        }
        return new ResponseBatch(TokenBatch.leftPadded(joined, padId, context), lengths);
    }

    /** The padded prompt+response sequences (input to the model). */
    public TokenBatch sequences() {
        return sequences;
    }

    /** Number of pairs. */
    public int size() {
        return responseLengths.length;
    }

    /** Tokens in response {@code i}. */
    public int responseLength(int i) {
        return responseLengths[i];
    }

    /** Columns of per-token tensors: sequence length − 1. */
    public int targetLength() {
        return sequences.length() - 1;
    }

    /** Next-token targets (B, L-1) as int64. */
    public NDArray targets(NDManager manager) {
        int l = sequences.length();
        long[] flat = new long[size() * (l - 1)];
        for (int i = 0; i < size(); i++) {
            int[] row = sequences.row(i);
            int pad = sequences.padCount(i);
            for (int t = 1; t < l; t++) {
                flat[i * (l - 1) + t - 1] = t < pad ? 0 : row[t - pad];
            }
        }
        return manager.create(flat, new Shape(size(), l - 1));
    }

    /** 1 where column t's target is a response token, else 0; (B, L-1) float32. */
    public NDArray responseMask(NDManager manager) {
        float[][] ones = new float[size()][];
        for (int i = 0; i < size(); i++) {
            ones[i] = new float[responseLengths[i]];
            Arrays.fill(ones[i], 1f);
        }
        return rightAligned(manager, ones);
    }

    /** Per-response values (row i of length {@code responseLength(i)}) placed on the response columns; 0 elsewhere. */
    public NDArray rightAligned(NDManager manager, float[][] perResponse) {
        if (perResponse.length != size()) {
            throw new IllegalArgumentException("expected " + size() + " rows, got " + perResponse.length);
        }
        int cols = targetLength();
        float[] flat = new float[size() * cols];
        for (int i = 0; i < size(); i++) {
            if (perResponse[i].length != responseLengths[i]) {
                throw new IllegalArgumentException("row " + i + " has " + perResponse[i].length
                        + " values but its response has " + responseLengths[i] + " tokens");
            }
            System.arraycopy(perResponse[i], 0, flat, i * cols + cols - responseLengths[i], responseLengths[i]);
        }
        return manager.create(flat, new Shape(size(), cols));
    }

    /** Reads the response columns of a (B, L-1) tensor back into one Java array per response. */
    public float[][] responseRows(NDArray perToken) {
        if (perToken.getShape().dimension() != 2 || perToken.getShape().get(1) != targetLength()) {
            throw new IllegalArgumentException("expected a (" + size() + ", " + targetLength() + ") tensor, got "
                    + perToken.getShape());
        }
        float[] flat = perToken.toType(DataType.FLOAT32, false).toFloatArray();
        int cols = targetLength();
        float[][] out = new float[size()][];
        for (int i = 0; i < size(); i++) {
            out[i] = new float[responseLengths[i]];
            System.arraycopy(flat, i * cols + cols - responseLengths[i], out[i], 0, responseLengths[i]);
        }
        return out;
    }

    /**
     * Log-probability of each target under {@code softmax(logits / temperature)}, (B, L-1).
     *
     * @param logits (B, L, V) from {@link TransformerModel#forward}
     */
    public NDArray tokenLogProbs(NDArray logits, float temperature) {
        if (!(temperature > 0f)) {
            throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        }
        NDManager m = logits.getManager();
        int l = sequences.length();
        NDArray scaled = logits.get(":, 0:" + (l - 1) + ", :").div(m.create(temperature));
        NDArray logp = scaled.logSoftmax(-1);
        return logp.gather(targets(m).expandDims(-1), -1).squeeze(-1);
    }

    /** Values at the columns that predict each target, (B, L-1): the state value before emitting token t+1. */
    public NDArray alignedValues(NDArray values) {
        return values.get(":, 0:" + targetLength());
    }

    /** Value at the last column of each row, (B): the reward model's score position (the last response token). */
    public NDArray lastTokenValues(NDArray values) {
        return values.get(":, -1");
    }
}
