package dev.trainstream.engine.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Keras {@code model.summary()} for MobileNetV1, computed from the real DJL block: the network is built and
 * initialised, parameter counts come from the initialised parameter arrays' shapes and output shapes from DJL's
 * shape inference, so the numbers describe the network that trains, not a second formula.
 */
public final class ModelSummary {

    private final ModelOptions options;
    private final List<LayerRow> layers;

    private ModelSummary(ModelOptions options, List<LayerRow> layers) {
        this.options = options;
        this.layers = List.copyOf(layers);
    }

    /** Builds and initialises the network described by {@code options} (on CPU) and summarises it. */
    public static ModelSummary of(ModelOptions options) {
        if (options == null) {
            throw new IllegalArgumentException("options must be set");
        }
        MobileNetV1 net = MobileNetV1.of(options);
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape input = net.inputShape(1);
            net.toBlock().initialize(manager, DataType.FLOAT32, input);
            List<LayerRow> rows = new ArrayList<>();
            Shape current = input;
            for (NamedLayer layer : net.layers()) {
                Shape output = layer.block().getOutputShapes(new Shape[] {current})[0];
                rows.add(row(layer, output));
                current = output;
            }
            return new ModelSummary(options, rows);
        }
    }

    /** The options summarised. */
    public ModelOptions options() {
        return options;
    }

    /** Per-layer rows in execution order. */
    public List<LayerRow> layers() {
        return layers;
    }

    /** Parameters the optimizer updates (Keras "Trainable params"). */
    public long trainableParameters() {
        return layers.stream().mapToLong(LayerRow::trainableParameters).sum();
    }

    /** BN running statistics (Keras "Non-trainable params"). */
    public long nonTrainableParameters() {
        return layers.stream().mapToLong(LayerRow::nonTrainableParameters).sum();
    }

    /** Multiply-accumulates per example, counting convolutions and the classifier as the paper does. */
    public long multAdds() {
        return layers.stream().mapToLong(LayerRow::multAdds).sum();
    }

    /** Renders the summary as a Keras-style text table with totals. */
    public String render() {
        String rule = "_".repeat(98) + "\n";
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Model: \"mobilenet_%.2f_%d\" (stem stride %d, %s, %d classes)%n",
                options.widthMultiplier(), options.resolution(), options.stemStride(),
                options.activation(), options.numClasses()));
        out.append(rule);
        out.append(String.format(Locale.ROOT, " %-40s %-26s %12s %15s%n",
                "Layer (type)", "Output Shape", "Param #", "Mult-Adds"));
        out.append("=".repeat(98)).append('\n');
        for (LayerRow row : layers) {
            out.append(String.format(Locale.ROOT, " %-40s %-26s %,12d %,15d%n",
                    row.name() + " (" + row.type() + ")", row.shapeText(), row.parameters(), row.multAdds()));
        }
        out.append("=".repeat(98)).append('\n');
        out.append(String.format(Locale.ROOT, "Total params: %,d%n", trainableParameters() + nonTrainableParameters()));
        out.append(String.format(Locale.ROOT, "Trainable params: %,d%n", trainableParameters()));
        out.append(String.format(Locale.ROOT, "Non-trainable params: %,d%n", nonTrainableParameters()));
        out.append(String.format(Locale.ROOT, "Mult-adds: %,d (%.1fM)%n", multAdds(), multAdds() / 1e6));
        out.append(rule);
        return out.toString();
    }

    private static LayerRow row(NamedLayer layer, Shape output) {
        long trainable = 0;
        long nonTrainable = 0;
        Shape weight = null;
        for (Pair<String, Parameter> entry : layer.block().getParameters()) {
            Parameter parameter = entry.getValue();
            long size = parameter.getArray().getShape().size();
            if (parameter.requiresGradient()) {
                trainable += size;
            } else {
                nonTrainable += size;
            }
            if (parameter.getType() == Parameter.Type.WEIGHT) {
                weight = parameter.getArray().getShape();
            }
        }
        return new LayerRow(layer.name(), layer.block().getClass().getSimpleName(),
                output.slice(1).getShape(), trainable, nonTrainable, multAdds(layer.block(), weight, output));
    }

    private static long multAdds(Block block, Shape weight, Shape output) {
        if (block instanceof Conv2d && weight != null) {
            // weight is (out, in / groups, kh, kw): each output value costs in/groups * kh * kw multiply-adds
            return output.get(1) * output.get(2) * output.get(3) * weight.get(1) * weight.get(2) * weight.get(3);
        }
        if (block instanceof Linear && weight != null) {
            return weight.get(0) * weight.get(1);
        }
        return 0;
    }
}
