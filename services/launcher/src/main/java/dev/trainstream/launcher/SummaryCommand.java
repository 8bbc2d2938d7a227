package dev.trainstream.launcher;

import dev.trainstream.engine.model.Activation;
import dev.trainstream.engine.model.ModelOptions;
import dev.trainstream.engine.model.ModelSummary;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trainstream summary}: the Keras-style layer table of a MobileNetV1 configuration. */
@Command(name = "summary", mixinStandardHelpOptions = true,
    description = "Print MobileNetV1's layers, output shapes, parameters and mult-adds.")
final class SummaryCommand implements Callable<Integer> {
    @Option(names = "--width-multiplier", defaultValue = "1.0", description = "Width multiplier. Default: ${DEFAULT-VALUE}")
    double width;
    @Option(names = "--resolution", defaultValue = "224", description = "Input size. Default: ${DEFAULT-VALUE}")
    int resolution;
    @Option(names = "--stem-stride", defaultValue = "2", description = "Stem stride (2 = paper). Default: ${DEFAULT-VALUE}")
    int stemStride;
    @Option(names = "--classes", defaultValue = "1000", description = "Classes. Default: ${DEFAULT-VALUE}")
    int classes;
    @Option(names = "--activation", defaultValue = "RELU", description = "RELU or RELU6. Default: ${DEFAULT-VALUE}")
    Activation activation;

    @Override
    public Integer call() {
        ModelOptions options = ModelOptions.builder().optWidthMultiplier(width).optResolution(resolution)
            .optStemStride(stemStride).optNumClasses(classes).optActivation(activation).build();
        System.out.println(ModelSummary.of(options).render());
        return 0;
    }
}
