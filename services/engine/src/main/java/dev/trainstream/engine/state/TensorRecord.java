package dev.trainstream.engine.state;

import java.util.Arrays;

/**
 * A named float32 tensor copied out of the engine, the unit a training state is saved in.
 *
 * @param name stable name, e.g. {@code conv1.weight} or {@code conv1.weight#momentum}
 * @param shape dimensions
 * @param values row-major values, as many as the shape's product
 */
public record TensorRecord(String name, long[] shape, float[] values) {

    /** Validates that the values fill the shape exactly. */
    public TensorRecord {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("name must be non-empty");
        }
        if (shape == null || values == null) {
            throw new IllegalArgumentException("shape and values must be set for tensor " + name);
        }
        long size = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in tensor " + name);
            }
            size *= d;
        }
        if (size != values.length) {
            throw new IllegalArgumentException(
                    "tensor " + name + " has " + values.length + " values for shape " + Arrays.toString(shape));
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TensorRecord t && name.equals(t.name) && Arrays.equals(shape, t.shape)
                && Arrays.equals(values, t.values);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "TensorRecord[" + name + " " + Arrays.toString(shape) + "]";
    }
}
