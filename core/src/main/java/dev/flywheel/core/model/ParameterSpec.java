package dev.flywheel.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

import java.util.Arrays;
import java.util.Random;

/**
 * How one parameter is shaped and initialised: from a Java RNG keyed by (model seed, parameter name), never from
 * the engine's global RNG, so the same seed gives bit-identical weights on any thread, run or device.
 */
record ParameterSpec(Parameter parameter, Shape shape, Init init, float std) {

    /** Initialisation families used by the transformer. */
    enum Init { NORMAL, ZEROS, ONES }

    static ParameterSpec of(String name, Parameter.Type type, Shape shape, Init init, float std) {
        Parameter p = Parameter.builder().setName(name).setType(type).optRequiresGrad(false).build();
        return new ParameterSpec(p, shape, init, std);
    }

    /** Sets the parameter's array in {@code manager}, drawn from {@code seed} and the parameter's full name. */
    void initialize(NDManager manager, long seed, String fullName) {
        float[] values = new float[Math.toIntExact(shape.size())];
        switch (init) {
            case ZEROS -> Arrays.fill(values, 0f);
            case ONES -> Arrays.fill(values, 1f);
            case NORMAL -> {
                Random rng = new Random(seed * 0x9E3779B97F4A7C15L + fullName.hashCode());
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (rng.nextGaussian() * std);
                }
            }
        }
        NDArray array = manager.create(values, shape);
        parameter.setArray(array);
    }
}
