package dev.trainstream.engine.model;

import java.util.Arrays;

/**
 * One line of a {@link ModelSummary}: what a layer outputs, how many parameters it holds, how much it computes.
 *
 * @param name Keras-style layer name
 * @param type the DJL block class that implements it
 * @param outputShape output shape for one example (batch dimension left out), NCHW order
 * @param trainableParameters parameters updated by the optimizer (weights, biases, BN gamma/beta)
 * @param nonTrainableParameters BN running mean and variance
 * @param multAdds multiply-accumulate operations per example (convolutions and the classifier, as in the paper)
 */
public record LayerRow(
        String name,
        String type,
        long[] outputShape,
        long trainableParameters,
        long nonTrainableParameters,
        long multAdds) {

    /** Validates the row and keeps a private copy of the shape. */
    public LayerRow {
        if (name == null || type == null || outputShape == null) {
            throw new IllegalArgumentException("name, type and outputShape must be set");
        }
        if (trainableParameters < 0 || nonTrainableParameters < 0 || multAdds < 0) {
            throw new IllegalArgumentException("counts must be >= 0 for layer " + name);
        }
        outputShape = outputShape.clone();
    }

    /** Returns a copy of the output shape. */
    @Override
    public long[] outputShape() {
        return outputShape.clone();
    }

    /** Total parameters of the layer. */
    public long parameters() {
        return trainableParameters + nonTrainableParameters;
    }

    /** The output shape as Keras prints it, e.g. {@code (None, 32, 16, 16)}. */
    public String shapeText() {
        StringBuilder text = new StringBuilder("(None");
        Arrays.stream(outputShape).forEach(d -> text.append(", ").append(d));
        return text.append(')').toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LayerRow row
                && name.equals(row.name)
                && type.equals(row.type)
                && Arrays.equals(outputShape, row.outputShape)
                && trainableParameters == row.trainableParameters
                && nonTrainableParameters == row.nonTrainableParameters
                && multAdds == row.multAdds;
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(outputShape);
    }

    @Override
    public String toString() {
        return name + " (" + type + ") " + shapeText() + " params=" + parameters() + " multAdds=" + multAdds;
    }
}
