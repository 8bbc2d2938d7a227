package dev.trainstream.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A checkpoint was scored on the test split.
 *
 * @param runId            training run (Kafka key)
 * @param checkpointUri    evaluated checkpoint
 * @param checkpointSha256 sha256 hex of the evaluated checkpoint object
 * @param step             training step of the checkpoint
 * @param epoch            epoch of the checkpoint
 * @param accuracy         overall accuracy within [0, 1]
 * @param meanLoss         mean loss over the examples, finite
 * @param classes          class names, in label order
 * @param perClassAccuracy accuracy per class, same order and size as classes (0 for a class without examples)
 * @param confusionMatrix  counts, row = true class, column = predicted class; classes.size() square
 * @param examples         number of examples scored
 * @param imagesPerSecond  evaluation throughput
 * @param durationMs       wall time of the evaluation
 * @param gate             promotion gate verdict
 * @param evaluatedAt      when the evaluation finished
 * @param testTimeAugmentation how each test image was scored: null (omitted from JSON) = as it is;
 *                         {@value #HORIZONTAL_FLIP} = class probabilities averaged with its mirror image
 */
public record EvaluationCompleted(String runId, String checkpointUri, String checkpointSha256, long step, int epoch,
                                  double accuracy, double meanLoss, List<String> classes, List<Double> perClassAccuracy,
                                  List<List<Long>> confusionMatrix, long examples, double imagesPerSecond, long durationMs,
                                  GateDecision gate, Instant evaluatedAt,
                                  @JsonInclude(JsonInclude.Include.NON_NULL) String testTimeAugmentation)
        implements EvaluationOutcome {

    /** The {@code testTimeAugmentation} value of flip-averaged scoring. */
    public static final String HORIZONTAL_FLIP = "hflip";
    /**
     * Most classes an evaluation (and so a dataset) may have: the event carries the full confusion matrix, and at 500
     * classes with {@link #MAX_CLASS_NAME_CHARS}-character names it stays under 0.9 MB even for a test set of millions
     * of images spread over every cell (Kafka's record limit is 1 MiB; see docs/RELIABILITY.md for the measurement).
     */
    public static final int MAX_CLASSES = 500;
    /** Longest class name (a folder name of the user's dataset). */
    public static final int MAX_CLASS_NAME_CHARS = 128;

    /** The same evaluation with another verdict (a promotion that lost to a better one promoted meanwhile). */
    public EvaluationCompleted withGate(GateDecision verdict) {
        return new EvaluationCompleted(runId, checkpointUri, checkpointSha256, step, epoch, accuracy, meanLoss, classes,
            perClassAccuracy, confusionMatrix, examples, imagesPerSecond, durationMs, verdict, evaluatedAt,
            testTimeAugmentation);
    }

    public EvaluationCompleted {
        FieldChecks.nonBlank(runId, "runId");
        FieldChecks.nonBlank(checkpointUri, "checkpointUri");
        FieldChecks.sha256(checkpointSha256, "checkpointSha256");
        FieldChecks.atLeast(step, 0L, "step");
        FieldChecks.atLeast(epoch, 0, "epoch");
        FieldChecks.fraction(accuracy, "accuracy");
        FieldChecks.finite(meanLoss, "meanLoss");
        classes = FieldChecks.copyNonEmpty(classes, "classes");
        if (classes.size() > MAX_CLASSES) {
            throw new IllegalArgumentException("classes must number at most " + MAX_CLASSES + ", got " + classes.size());
        }
        for (int i = 0; i < classes.size(); i++) {
            FieldChecks.nonBlank(classes.get(i), "classes[" + i + "]");
            if (classes.get(i).length() > MAX_CLASS_NAME_CHARS) {
                throw new IllegalArgumentException("classes[" + i + "] must be at most " + MAX_CLASS_NAME_CHARS
                    + " characters, got " + classes.get(i).length());
            }
        }
        perClassAccuracy = FieldChecks.copy(perClassAccuracy, "perClassAccuracy");
        if (perClassAccuracy.size() != classes.size()) {
            throw new IllegalArgumentException("perClassAccuracy must have one entry per class (" + classes.size()
                    + "), got " + perClassAccuracy.size());
        }
        for (int i = 0; i < perClassAccuracy.size(); i++) {
            FieldChecks.fraction(perClassAccuracy.get(i), "perClassAccuracy[" + i + "]");
        }
        confusionMatrix = copyMatrix(confusionMatrix, classes.size());
        FieldChecks.atLeast(examples, 0L, "examples");
        if (!(imagesPerSecond >= 0.0) || !Double.isFinite(imagesPerSecond)) {
            throw new IllegalArgumentException("imagesPerSecond must be a finite number >= 0, got " + imagesPerSecond);
        }
        FieldChecks.atLeast(durationMs, 0L, "durationMs");
        FieldChecks.nonNull(gate, "gate");
        FieldChecks.nonNull(evaluatedAt, "evaluatedAt");
        if (testTimeAugmentation != null && !testTimeAugmentation.equals(HORIZONTAL_FLIP)) {
            throw new IllegalArgumentException("testTimeAugmentation must be absent or \"" + HORIZONTAL_FLIP
                    + "\", got \"" + testTimeAugmentation + "\"");
        }
    }

    private static List<List<Long>> copyMatrix(List<List<Long>> matrix, int size) {
        List<List<Long>> rows = FieldChecks.copy(matrix, "confusionMatrix");
        if (rows.size() != size) {
            throw new IllegalArgumentException("confusionMatrix must have " + size + " rows, got " + rows.size());
        }
        List<List<Long>> copy = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            copy.add(copyRow(rows.get(i), i, size));
        }
        return List.copyOf(copy);
    }

    private static List<Long> copyRow(List<Long> row, int index, int size) {
        String field = "confusionMatrix[" + index + "]";
        List<Long> copy = FieldChecks.copy(row, field);
        if (copy.size() != size) {
            throw new IllegalArgumentException(field + " must have " + size + " columns, got " + copy.size());
        }
        for (int j = 0; j < copy.size(); j++) {
            FieldChecks.atLeast(copy.get(j), 0L, field + "[" + j + "]");
        }
        return copy;
    }
}
