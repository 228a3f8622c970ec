package dev.flywheel.core.device;

import ai.djl.pytorch.jni.JniUtils;

import java.util.function.Supplier;

/**
 * Turns PyTorch autograd off for the current thread until closed, restoring the previous mode.
 *
 * <p>Why: PyTorch's grad mode is thread-local and DJL only switches it off on the thread that loaded the engine;
 * on any other thread, inference through trainable parameters would record a graph it never frees early.
 */
public final class GradMode implements AutoCloseable {

    private final boolean previous;

    private GradMode(boolean enabled) {
        this.previous = JniUtils.isGradMode();
        JniUtils.setGradMode(enabled);
    }

    /** Disables autograd on this thread: {@code try (GradMode off = GradMode.disabled()) { ... }}. */
    public static GradMode disabled() {
        return new GradMode(false);
    }

    /** Runs {@code body} with autograd off on this thread and returns its result. */
    public static <T> T disabledDuring(Supplier<T> body) {
        GradMode off = disabled();
        try {
            return body.get();
        } finally {
            off.close();
        }
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
