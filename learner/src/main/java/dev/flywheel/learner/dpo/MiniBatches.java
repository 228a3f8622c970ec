package dev.flywheel.learner.dpo;

import java.util.ArrayList;
import java.util.List;

/** Splits a batch of pairs into contiguous mini-batches (pairs arrive in log order; no shuffle is needed). */
final class MiniBatches {

    private MiniBatches() {
    }

    /** {@code parts} contiguous index ranges covering 0..n-1. */
    static List<int[]> contiguous(int n, int parts) {
        int k = Math.min(parts, n);
        List<int[]> out = new ArrayList<>(k);
        for (int p = 0; p < k; p++) {
            int from = p * n / k;
            int to = (p + 1) * n / k;
            int[] rows = new int[to - from];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = from + i;
            }
            out.add(rows);
        }
        return out;
    }

    /** The elements at {@code rows}. */
    static <T> List<T> pick(List<T> all, int[] rows) {
        List<T> out = new ArrayList<>(rows.length);
        for (int r : rows) {
            out.add(all.get(r));
        }
        return out;
    }

    /** From a (2n) chosen-then-rejected array, the (2k) array of the pairs at {@code rows}. */
    static float[] pickPairs(float[] all, int n, int[] rows) {
        float[] out = new float[2 * rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = all[rows[i]];
            out[rows.length + i] = all[n + rows[i]];
        }
        return out;
    }
}
