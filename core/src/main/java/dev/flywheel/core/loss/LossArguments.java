package dev.flywheel.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Argument checks shared by the losses, so every bad call fails with the same kind of message. */
final class LossArguments {

    private LossArguments() {
    }

    /** Fails unless {@code array} holds float32 values, the only dtype the losses compute in. */
    static void requireFloat32(String name, NDArray array) {
        if (array == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (array.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException(name + " must be float32 but is " + array.getDataType()
                    + "; convert it with toType(DataType.FLOAT32, false)");
        }
    }

    /** Fails unless both arrays are float32 and have exactly the same shape (no silent broadcasting). */
    static void requireSameShape(String nameA, NDArray a, String nameB, NDArray b) {
        requireFloat32(nameA, a);
        requireFloat32(nameB, b);
        if (!a.getShape().equals(b.getShape())) {
            throw new IllegalArgumentException(nameA + " shape " + a.getShape() + " does not match " + nameB
                    + " shape " + b.getShape() + "; both must hold one value per element of the same batch");
        }
    }

    /** Fails unless {@code array} has exactly {@code rank} dimensions. */
    static void requireRank(String name, NDArray array, int rank, String layout) {
        if (array.getShape().dimension() != rank) {
            throw new IllegalArgumentException(name + " must have shape " + layout + " but has shape "
                    + array.getShape());
        }
    }

    /** Fails unless {@code value} is finite. */
    static void requireFinite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number, got " + value);
        }
    }

    /** Fails unless {@code value} is finite and strictly positive. */
    static void requirePositive(String name, double value) {
        if (!Double.isFinite(value) || value <= 0) {
            throw new IllegalArgumentException(name + " must be a finite number > 0, got " + value);
        }
    }

    /** Fails unless {@code low <= value <= high}. */
    static void requireWithin(String name, double value, double low, double high) {
        if (!(value >= low && value <= high)) {
            throw new IllegalArgumentException(name + " must be in [" + low + ", " + high + "], got " + value);
        }
    }
}
