package dev.trainstream.engine.evaluation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.trainstream.engine.data.LabeledImages;
import dev.trainstream.engine.data.Normalization;
import dev.trainstream.engine.data.PreparedBatch;
import dev.trainstream.engine.model.MobileNetV1;
import dev.trainstream.engine.model.ModelOptions;
import dev.trainstream.engine.runtime.EngineRuntime;
import java.nio.FloatBuffer;
import java.util.Iterator;

/**
 * The shared inference loop: normalise each batch, forward in inference mode (BN uses running statistics, no
 * gradient tracking), optionally average with the mirrored batch, accumulate loss and a confusion matrix. Each batch
 * runs in its own NDManager scope.
 */
public final class BatchScorer {

    private BatchScorer() {}

    /**
     * Scores {@code batches} with the current weights of {@code network}, whose arrays live in {@code manager}. With
     * {@link TestTimeAugmentation#HORIZONTAL_FLIP} the prediction and the loss use the mean of the class
     * probabilities of each image and its mirror.
     */
    public static EvaluationReport score(MobileNetV1 network, ModelOptions model, NDManager manager,
            Iterator<LabeledImages> batches, int numClasses, TestTimeAugmentation augmentation,
            Normalization normalization) {
        if (augmentation == null) {
            throw new IllegalArgumentException("test-time augmentation must be set (NONE for plain scoring)");
        }
        if (numClasses != model.numClasses()) {
            throw new IllegalArgumentException(
                    "numClasses " + numClasses + " does not match the model's " + model.numClasses());
        }
        long[][] confusion = new long[numClasses][numClasses];
        double lossSum = 0;
        long start = System.nanoTime();
        boolean previous = ai.djl.pytorch.jni.JniUtils.isGradMode();
        EngineRuntime.gradientMode(false);
        try {
            while (batches.hasNext()) {
                LabeledImages raw = batches.next();
                requireFits(raw, model);
                PreparedBatch batch = normalization.normalize(raw, 0);
                lossSum += scoreBatch(network, manager, batch, augmentation, confusion);
            }
        } finally {
            EngineRuntime.gradientMode(previous);
        }
        return EvaluationReport.fromCounts(confusion, lossSum, System.nanoTime() - start);
    }

    private static double scoreBatch(MobileNetV1 network, NDManager manager, PreparedBatch batch,
            TestTimeAugmentation augmentation, long[][] confusion) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(FloatBuffer.wrap(batch.pixels()),
                    new Shape(batch.count(), batch.channels(), batch.height(), batch.width()));
            NDArray logProbabilities = network.forward(new ParameterStore(scope, false), x, false).logSoftmax(1);
            if (augmentation == TestTimeAugmentation.HORIZONTAL_FLIP) {
                NDArray mirrored = network.forward(new ParameterStore(scope, false), x.flip(3), false).logSoftmax(1);
                logProbabilities = logMeanExp(logProbabilities, mirrored);
            }
            long[] labels = new long[batch.count()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = batch.labels()[i];
            }
            NDArray oneHot = scope.create(labels).oneHot(confusion.length);
            double loss = -logProbabilities.mul(oneHot).sum().getFloat();
            long[] predicted = logProbabilities.argMax(1).toLongArray();
            for (int i = 0; i < labels.length; i++) {
                confusion[(int) labels[i]][(int) predicted[i]]++;
            }
            return loss;
        }
    }

    /** log((e^a + e^b) / 2), shifted by the larger term so a probability that underflows stays finite. */
    private static NDArray logMeanExp(NDArray a, NDArray b) {
        NDArray larger = a.maximum(b);
        return a.sub(larger).exp().add(b.sub(larger).exp()).log().add(larger).sub(Math.log(2));
    }

    private static void requireFits(LabeledImages raw, ModelOptions model) {
        if (raw.height() != model.resolution() || raw.width() != model.resolution() || raw.channels() != 3) {
            throw new IllegalArgumentException("images are " + raw.channels() + "x" + raw.height() + "x" + raw.width()
                    + " but the model expects 3x" + model.resolution() + "x" + model.resolution());
        }
        for (int label : raw.labels()) {
            if (label >= model.numClasses()) {
                throw new IllegalArgumentException(
                        "label " + label + " is outside the model's " + model.numClasses() + " classes");
            }
        }
    }
}
