package dev.flywheel.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.List;

/**
 * Sequences of different lengths as one left-padded batch: the one place where Flywheel pads.
 *
 * <p>Left padding puts every row's last token in the last column, so "the next token" and "the last response
 * token" are the same column for the whole batch. Position ids restart at 0 on each row's first real token and
 * padding keys are masked out, so a row's outputs equal those of the row run alone.
 */
public final class TokenBatch {

    /** Added to attention scores of masked keys; large enough that their softmax weight is exactly 0 in float. */
    static final float MASKED = -1e9f;

    private final int[][] rows;
    private final int[] padCounts;
    private final int length;
    private final int padId;

    private TokenBatch(int[][] rows, int padId) {
        this.rows = rows;
        this.padId = padId;
        int max = 0;
        for (int[] r : rows) {
            max = Math.max(max, r.length);
        }
        this.length = max;
        this.padCounts = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            padCounts[i] = max - rows[i].length;
        }
    }

    /** Left-pads {@code sequences} with {@code padId}; each must hold at least one token and fit {@code context}. */
    public static TokenBatch leftPadded(List<int[]> sequences, int padId, int context) {
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("batch is empty; give at least one sequence");
        }
        int[][] rows = new int[sequences.size()][];
        for (int i = 0; i < rows.length; i++) {
            int[] s = sequences.get(i);
            if (s == null || s.length == 0) {
                throw new IllegalArgumentException("sequence " + i + " is empty; every sequence needs at least one "
                        + "token (prompts start with BOS)");
            }
            if (s.length > context) {
                throw new IllegalArgumentException("sequence " + i + " has " + s.length + " tokens but the model's "
                        + "context is " + context + "; shorten it or use a model with a longer context");
            }
            rows[i] = s.clone();
        }
        return new TokenBatch(rows, padId);
    }

    /** Fails, naming the row and id, if any token is not in {@code [0, vocabSize)}. */
    public TokenBatch requireIdsBelow(int vocabSize) {
        for (int i = 0; i < rows.length; i++) {
            for (int id : rows[i]) {
                if (id < 0 || id >= vocabSize) {
                    throw new IllegalArgumentException("sequence " + i + " holds token id " + id + ", outside the "
                            + "model's vocabulary [0, " + vocabSize + "); encode text with the model's own tokenizer");
                }
            }
        }
        return this;
    }

    /** Number of rows. */
    public int size() {
        return rows.length;
    }

    /** Columns: the longest row's length. */
    public int length() {
        return length;
    }

    /** Padding columns in front of {@code row}. */
    public int padCount(int row) {
        return padCounts[row];
    }

    /** All rows' padding counts (a copy). */
    public int[] padCounts() {
        return padCounts.clone();
    }

    /** Real tokens of {@code row} (a copy, unpadded). */
    public int[] row(int row) {
        return rows[row].clone();
    }

    /** Token ids (B, L) as int64, pads filled with the pad id. */
    public NDArray tokens(NDManager manager) {
        long[] flat = new long[rows.length * length];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < length; j++) {
                flat[i * length + j] = j < padCounts[i] ? padId : rows[i][j - padCounts[i]];
            }
        }
        return manager.create(flat, new Shape(rows.length, length));
    }

    /** Position ids (B, L) as int64: 0 at each row's first real token (pads get 0 too). */
    public NDArray positions(NDManager manager) {
        return positions(manager, padCounts, 0, length);
    }

    /** Causal + padding attention bias (B, 1, L, L): 0 where a query may attend a key, {@link #MASKED} elsewhere. */
    public NDArray attentionBias(NDManager manager) {
        return attentionBias(manager, padCounts, 0, length, length);
    }

    /** Positions of columns {@code start..start+count-1} of rows with the given padding. */
    public static NDArray positions(NDManager manager, int[] padCounts, int start, int count) {
        long[] flat = new long[padCounts.length * count];
        for (int i = 0; i < padCounts.length; i++) {
            for (int j = 0; j < count; j++) {
                flat[i * count + j] = Math.max(0, start + j - padCounts[i]);
            }
        }
        return manager.create(flat, new Shape(padCounts.length, count));
    }

    /**
     * Attention bias (B, 1, queries, keys) for queries at columns {@code queryStart..} over keys {@code 0..keys-1}:
     * a query sees keys at or before its own column that are not padding.
     */
    public static NDArray attentionBias(NDManager manager, int[] padCounts, int queryStart, int queries, int keys) {
        float[] flat = new float[padCounts.length * queries * keys];
        int k = 0;
        for (int padCount : padCounts) {
            for (int q = 0; q < queries; q++) {
                int column = queryStart + q;
                for (int j = 0; j < keys; j++) {
                    boolean visible = j <= column && (j >= padCount || j == column);
                    flat[k++] = visible ? 0f : MASKED;
                }
            }
        }
        return manager.create(flat, new Shape(padCounts.length, 1, queries, keys));
    }

    /** Rows as a list (copies), e.g. to extend them with generated tokens. */
    public List<int[]> rows() {
        List<int[]> out = new ArrayList<>(rows.length);
        for (int[] r : rows) {
            out.add(r.clone());
        }
        return out;
    }
}
