package dev.trainstream.engine.evaluation;

import java.util.Arrays;
import java.util.Locale;

/**
 * Scores of one checkpoint on a test set.
 *
 * @param examples images scored
 * @param accuracy fraction classified correctly
 * @param meanLoss mean cross-entropy (no label smoothing; of the averaged probabilities under test-time augmentation)
 * @param perClassAccuracy per true class, correct / seen (NaN for a class with no examples)
 * @param confusion {@code confusion[trueClass][predictedClass]} counts
 * @param imagesPerSecond throughput of the scoring loop
 * @param durationMs wall time of the scoring loop
 */
public record EvaluationReport(long examples, double accuracy, double meanLoss, double[] perClassAccuracy,
        long[][] confusion, double imagesPerSecond, long durationMs) {

    /** Validates and copies the arrays. */
    public EvaluationReport {
        if (examples < 0 || perClassAccuracy == null || confusion == null) {
            throw new IllegalArgumentException("examples >= 0, perClassAccuracy and confusion must be set");
        }
        if (confusion.length != perClassAccuracy.length) {
            throw new IllegalArgumentException("confusion and perClassAccuracy must cover the same classes");
        }
        perClassAccuracy = perClassAccuracy.clone();
        confusion = Arrays.stream(confusion).map(long[]::clone).toArray(long[][]::new);
    }

    /** Builds a report from accumulated counts. */
    public static EvaluationReport fromCounts(long[][] confusion, double lossSum, long durationNanos) {
        int classes = confusion.length;
        long examples = 0;
        long correct = 0;
        double[] perClass = new double[classes];
        for (int t = 0; t < classes; t++) {
            long seen = Arrays.stream(confusion[t]).sum();
            examples += seen;
            correct += confusion[t][t];
            perClass[t] = seen == 0 ? Double.NaN : (double) confusion[t][t] / seen;
        }
        double seconds = Math.max(durationNanos, 1) / 1e9;
        return new EvaluationReport(examples, examples == 0 ? 0 : (double) correct / examples,
                examples == 0 ? Double.NaN : lossSum / examples, perClass, confusion,
                examples / seconds, durationNanos / 1_000_000);
    }

    /** Number of classes. */
    public int numClasses() {
        return perClassAccuracy.length;
    }

    @Override
    public double[] perClassAccuracy() {
        return perClassAccuracy.clone();
    }

    @Override
    public long[][] confusion() {
        return Arrays.stream(confusion).map(long[]::clone).toArray(long[][]::new);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EvaluationReport r && examples == r.examples
                && Double.compare(accuracy, r.accuracy) == 0 && Double.compare(meanLoss, r.meanLoss) == 0
                && Arrays.equals(perClassAccuracy, r.perClassAccuracy) && Arrays.deepEquals(confusion, r.confusion);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(examples) * 31 + Double.hashCode(accuracy);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "EvaluationReport[examples=%d accuracy=%.4f meanLoss=%.4f "
                + "imagesPerSecond=%.1f durationMs=%d]", examples, accuracy, meanLoss, imagesPerSecond, durationMs);
    }
}
