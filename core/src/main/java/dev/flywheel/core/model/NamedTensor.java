package dev.flywheel.core.model;

import java.util.Arrays;

/**
 * A parameter's values outside the engine: name, shape and row-major float32 data (what a checkpoint holds).
 *
 * @param name   stable checkpoint name, e.g. {@code layer0.attn.qkv.weight}
 * @param shape  dimensions
 * @param values row-major data, {@code product(shape)} long
 */
public record NamedTensor(String name, long[] shape, float[] values) {

    /** Checks that the data fills the shape exactly. */
    public NamedTensor {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != values.length) {
            throw new IllegalArgumentException("tensor " + name + " has shape " + Arrays.toString(shape) + " ("
                    + n + " values) but " + values.length + " values were given");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NamedTensor t && name.equals(t.name) && Arrays.equals(shape, t.shape)
                && Arrays.equals(values, t.values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "NamedTensor[" + name + " " + Arrays.toString(shape) + "]";
    }
}
