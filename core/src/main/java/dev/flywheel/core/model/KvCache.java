package dev.flywheel.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Keys and values of every layer for the tokens seen so far, (B, heads, T, headDim) each, so that generating one
 * more token attends over the cache instead of re-running the whole prefix (cost linear in length).
 *
 * <p>Arrays live in the caller's scope manager; superseded ones are closed as soon as they are replaced.
 */
public final class KvCache {

    private final NDArray[] keys;
    private final NDArray[] values;

    /** An empty cache for a model with {@code layers} layers. */
    public KvCache(int layers) {
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
    }

    /** Number of cached positions (0 when empty). */
    public long length() {
        return keys[0] == null ? 0 : keys[0].getShape().get(2);
    }

    /** Moves every cached array into {@code manager}, so it outlives the per-step manager that computed it. */
    public void attachTo(NDManager manager) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                keys[i].attach(manager);
                values[i].attach(manager);
            }
        }
    }

    NDArray appendKeys(int layer, NDArray k) {
        keys[layer] = append(keys[layer], k);
        return keys[layer];
    }

    NDArray appendValues(int layer, NDArray v) {
        values[layer] = append(values[layer], v);
        return values[layer];
    }

    private static NDArray append(NDArray cached, NDArray fresh) {
        if (cached == null) {
            return fresh;
        }
        NDArray joined = cached.concat(fresh, 2);
        cached.close();
        return joined;
    }
}
