package dev.trainstream.events;

/**
 * The model's shape, enough to rebuild it: MobileNetV1 options.
 *
 * @param widthMultiplier channel width multiplier (alpha), > 0
 * @param resolution      input image side in pixels, >= 1
 * @param stemStride      stride of the first convolution, >= 1
 * @param activation      activation function name, e.g. "relu6"
 * @param numClasses      number of output classes, >= 1
 * @param dropout         dropout probability before the classifier, within [0, 1)
 */
public record ModelSpec(double widthMultiplier, int resolution, int stemStride, String activation, int numClasses,
                        double dropout) {

    public ModelSpec {
        if (!(widthMultiplier > 0.0) || !Double.isFinite(widthMultiplier)) {
            throw new IllegalArgumentException("widthMultiplier must be a finite number > 0, got " + widthMultiplier);
        }
        FieldChecks.atLeast(resolution, 1, "resolution");
        FieldChecks.atLeast(stemStride, 1, "stemStride");
        FieldChecks.nonBlank(activation, "activation");
        FieldChecks.atLeast(numClasses, 1, "numClasses");
        if (!(dropout >= 0.0 && dropout < 1.0)) {
            throw new IllegalArgumentException("dropout must be within [0, 1), got " + dropout);
        }
    }
}
