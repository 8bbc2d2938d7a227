package dev.trainstream.evaluator.export;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.trainstream.engine.model.ModelOptions;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code metadata.json} of an exported model: everything a user needs to feed it images and read its answers without
 * Trainstream — class names, pixel preprocessing, input shape, the network options to rebuild the block, and which
 * checkpoint (with sha256 and scores) it came from.
 *
 * @param formatVersion  bumped on an incompatible change of this file
 * @param modelName      DJL model name: the parameter file is {@code <modelName>-0000.params}
 * @param classes        class names; output index i is classes[i]
 * @param input          the tensor the network expects
 * @param normalization  per-channel preprocessing of 0..255 pixels: {@code (pixel / 255 - mean[c]) / std[c]}
 * @param model          MobileNetV1 options; {@code MobileNetV1.of(model).toBlock()} is the block to load into
 * @param source         the checkpoint the weights come from
 * @param engine         engine and library versions that wrote the parameters
 * @param exportedAt     when the export was written
 */
public record ExportedModelMetadata(int formatVersion, String modelName, List<String> classes, Input input,
                                    Normalization normalization, ModelOptions model, Source source,
                                    Map<String, String> engine, Instant exportedAt) {
    public static final int FORMAT_VERSION = 1;

    public ExportedModelMetadata {
        if (modelName == null || modelName.isBlank() || classes == null || classes.isEmpty() || input == null
            || normalization == null || model == null || source == null || exportedAt == null) {
            throw new IllegalArgumentException("export metadata needs modelName, classes, input, normalization, model, "
                + "source and exportedAt");
        }
        if (classes.size() != model.numClasses()) {
            throw new IllegalArgumentException("classes has " + classes.size() + " names but the model has "
                + model.numClasses() + " outputs");
        }
        classes = List.copyOf(classes);
        engine = Map.copyOf(engine);
    }

    /**
     * @param layout   axis order of one image, e.g. CHW (a batch adds N in front)
     * @param channels colour channels, RGB order
     * @param height   rows
     * @param width    columns
     */
    public record Input(String layout, int channels, int height, int width) {
    }

    /**
     * @param pixelScale divisor applied to raw 0..255 pixel values first
     * @param mean       per-channel mean subtracted after scaling
     * @param std        per-channel standard deviation divided by last
     */
    public record Normalization(double pixelScale, List<Double> mean, List<Double> std) {
        public Normalization {
            if (mean == null || std == null || mean.size() != std.size() || mean.isEmpty()) {
                throw new IllegalArgumentException("mean and std must have one entry per channel");
            }
            mean = List.copyOf(mean);
            std = List.copyOf(std);
        }
    }

    /**
     * @param runId          training run
     * @param checkpointUri  checkpoint object the weights were read from
     * @param sha256         its sha256 (verified while exporting)
     * @param step           its training step
     * @param epoch          its epoch
     * @param testAccuracy   its test accuracy when promoted
     * @param testMeanLoss   its mean test loss when promoted
     * @param datasetId      the dataset it was trained on
     * @param testTimeAugmentation {@code hflip} when testAccuracy averaged each image with its mirror (a server that
     *                       scores single images should expect less); absent for plain scoring
     */
    public record Source(String runId, String checkpointUri, String sha256, long step, int epoch, double testAccuracy,
                         double testMeanLoss, String datasetId,
                         @JsonInclude(JsonInclude.Include.NON_NULL) String testTimeAugmentation) {
    }
}
