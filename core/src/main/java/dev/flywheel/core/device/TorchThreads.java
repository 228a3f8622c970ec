package dev.flywheel.core.device;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Sets libtorch's intra-op thread count for the whole process.
 *
 * <p>Why it is set deliberately: sampling runs many tiny matrix products, where a second thread costs more in
 * synchronisation than it saves (one thread measured faster than two on the 2-core machine), while training's
 * larger batches do gain from both cores. Services pick the count for their workload once at start-up.
 */
public final class TorchThreads {

    private TorchThreads() {
    }

    /** Uses {@code threads} intra-op threads from now on (process-wide). */
    public static void set(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("torch threads must be at least 1, got " + threads);
        }
        Engine.getEngine("PyTorch");
        JniUtils.setNumThreads(threads);
    }

    /** The current intra-op thread count. */
    public static int current() {
        Engine.getEngine("PyTorch");
        return JniUtils.getNumThreads();
    }
}
