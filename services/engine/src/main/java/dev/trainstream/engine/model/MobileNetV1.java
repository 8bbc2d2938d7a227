package dev.trainstream.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * MobileNetV1 (Howard et al. 2017, arXiv 1704.04861) as a flat DJL block with Keras-style layer names.
 *
 * <p>Stem: 3x3 conv (32 ch, stride = stem stride) + BN + activation; then 13 depthwise-separable blocks (3x3 depthwise
 * conv without bias + BN + activation, 1x1 pointwise conv without bias + BN + activation); global average pool;
 * optional dropout; fully connected classifier with bias. Conv weights use He-normal (fan-out) initialisation as
 * torchvision does; the classifier uses N(0, 0.01) with zero bias.
 */
public final class MobileNetV1 {

    /** Output channels of the 13 pointwise convolutions (Table 1 of the paper). */
    private static final int[] POINTWISE_CHANNELS = {64, 128, 128, 256, 256, 512, 512, 512, 512, 512, 512, 1024, 1024};

    /** Strides of the 13 depthwise convolutions (Table 1 of the paper). */
    private static final int[] DEPTHWISE_STRIDES = {1, 2, 1, 2, 1, 2, 1, 1, 1, 1, 1, 2, 1};

    private static final int STEM_CHANNELS = 32;

    private final ModelOptions options;
    private final List<NamedLayer> layers;
    private final SequentialBlock block;

    private MobileNetV1(ModelOptions options) {
        this.options = options;
        this.layers = List.copyOf(buildLayers(options));
        this.block = new SequentialBlock();
        for (NamedLayer layer : layers) {
            block.add(layer.block());
        }
    }

    /** Returns a builder; all settings are optional (see {@link ModelOptions.Builder} for defaults). */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds the network for already validated options. */
    public static MobileNetV1 of(ModelOptions options) {
        if (options == null) {
            throw new IllegalArgumentException("options must be set");
        }
        return new MobileNetV1(options);
    }

    /** The options this network was built from. */
    public ModelOptions options() {
        return options;
    }

    /** The leaf layers in execution order; their blocks are the children of {@link #toBlock()}. */
    public List<NamedLayer> layers() {
        return layers;
    }

    /** The network as one DJL block (the same instance on every call; build a new MobileNetV1 for a fresh one). */
    public SequentialBlock toBlock() {
        return block;
    }

    /**
     * Runs the layers one by one and closes each intermediate array as soon as the next layer has consumed it, as
     * Python's reference counting does: autograd keeps what backward needs, everything else is freed during the
     * forward pass instead of when the step's NDManager closes (lower peak memory, fewer fresh pages per step).
     * The input array is left open.
     */
    public NDArray forward(ParameterStore parameterStore, NDArray input, boolean training) {
        NDList current = new NDList(input);
        for (NamedLayer layer : layers) {
            NDList next = layer.block().forward(parameterStore, current, training);
            NDArray consumed = current.singletonOrThrow();
            if (consumed != input && consumed != next.singletonOrThrow()) {
                consumed.close();
            }
            current = next;
        }
        return current.singletonOrThrow();
    }

    /** The input shape for a batch of {@code batchSize} images, NCHW with three colour channels. */
    public Shape inputShape(long batchSize) {
        return new Shape(batchSize, 3, options.resolution(), options.resolution());
    }

    private static List<NamedLayer> buildLayers(ModelOptions options) {
        List<NamedLayer> out = new ArrayList<>();
        out.add(new NamedLayer("conv1", conv(options.channels(STEM_CHANNELS), 3, options.stemStride(), 1)));
        addBatchNormAndActivation(out, "conv1", options.activation());
        int inChannels = options.channels(STEM_CHANNELS);
        for (int i = 0; i < POINTWISE_CHANNELS.length; i++) {
            String dw = "conv_dw_" + (i + 1);
            out.add(new NamedLayer(dw, conv(inChannels, 3, DEPTHWISE_STRIDES[i], inChannels)));
            addBatchNormAndActivation(out, dw, options.activation());
            String pw = "conv_pw_" + (i + 1);
            int outChannels = options.channels(POINTWISE_CHANNELS[i]);
            out.add(new NamedLayer(pw, conv(outChannels, 1, 1, 1)));
            addBatchNormAndActivation(out, pw, options.activation());
            inChannels = outChannels;
        }
        out.add(new NamedLayer("global_average_pooling", Pool.globalAvgPool2dBlock()));
        if (options.dropout() > 0) {
            out.add(new NamedLayer("dropout", Dropout.builder().optRate((float) options.dropout()).build()));
        }
        Block classifier = Linear.builder().setUnits(options.numClasses()).optBias(true).build();
        classifier.setInitializer(new NormalInitializer(0.01f), Parameter.Type.WEIGHT);
        out.add(new NamedLayer("predictions", classifier));
        return out;
    }

    private static Block conv(int filters, int kernel, int stride, int groups) {
        int pad = kernel / 2;
        Block conv = Conv2d.builder()
                .setKernelShape(new Shape(kernel, kernel))
                .setFilters(filters)
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(pad, pad))
                .optGroups(groups)
                .optBias(false)
                .build();
        conv.setInitializer(
                new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.OUT, 2),
                Parameter.Type.WEIGHT);
        return conv;
    }

    private static void addBatchNormAndActivation(List<NamedLayer> out, String prefix, Activation activation) {
        out.add(new NamedLayer(prefix + "_bn", new BatchNorm2d()));
        out.add(new NamedLayer(prefix + "_" + activation.name().toLowerCase(Locale.ROOT),
                activationBlock(activation)));
    }

    private static Block activationBlock(Activation activation) {
        return switch (activation) {
            case RELU -> ai.djl.nn.Activation.reluBlock();
            case RELU6 -> new LambdaBlock(MobileNetV1::relu6, "relu6");
        };
    }

    private static NDList relu6(NDList inputs) {
        return new NDList(inputs.singletonOrThrow().clip(0, 6));
    }

    /** DJL-style builder: each optional setting mirrors {@link ModelOptions.Builder}. */
    public static final class Builder {
        private final ModelOptions.Builder options = ModelOptions.builder();

        private Builder() {}

        /** Sets alpha (default 1.0). */
        public Builder optWidthMultiplier(double alpha) {
            options.optWidthMultiplier(alpha);
            return this;
        }

        /** Sets the input size in pixels (default 32). */
        public Builder optResolution(int pixels) {
            options.optResolution(pixels);
            return this;
        }

        /** Sets the stem stride (default: 1 up to 64 px input, else 2). */
        public Builder optStemStride(int stride) {
            options.optStemStride(stride);
            return this;
        }

        /** Sets the activation (default RELU). */
        public Builder optActivation(Activation activation) {
            options.optActivation(activation);
            return this;
        }

        /** Sets the number of classes (default 10). */
        public Builder optNumClasses(int classes) {
            options.optNumClasses(classes);
            return this;
        }

        /** Sets the dropout before the classifier (default 0). */
        public Builder optDropout(double rate) {
            options.optDropout(rate);
            return this;
        }

        /** Builds the network; throws {@link IllegalArgumentException} naming an invalid setting. */
        public MobileNetV1 build() {
            return new MobileNetV1(options.build());
        }
    }
}
