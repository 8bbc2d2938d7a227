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
 * gradient tracking), accumulate loss and a confusion matrix. Each batch runs in its own NDManager scope.
 */
public final class BatchScorer {

    private BatchScorer() {}

    /** Scores {@code batches} with the current weights of {@code network}, whose arrays live in {@code manager}. */
    public static EvaluationReport score(MobileNetV1 network, ModelOptions model, NDManager manager,
            Iterator<LabeledImages> batches, int numClasses) {
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
                PreparedBatch batch = Normalization.forChannels(raw.channels()).normalize(raw, 0);
                lossSum += scoreBatch(network, manager, batch, confusion);
            }
        } finally {
            EngineRuntime.gradientMode(previous);
        }
        return EvaluationReport.fromCounts(confusion, lossSum, System.nanoTime() - start);
    }

    private static double scoreBatch(MobileNetV1 network, NDManager manager, PreparedBatch batch, long[][] confusion) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(FloatBuffer.wrap(batch.pixels()),
                    new Shape(batch.count(), batch.channels(), batch.height(), batch.width()));
            NDArray logits = network.forward(new ParameterStore(scope, false), x, false);
            NDArray logProbabilities = logits.logSoftmax(1);
            long[] labels = new long[batch.count()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = batch.labels()[i];
            }
            NDArray oneHot = scope.create(labels).oneHot(confusion.length);
            double loss = -logProbabilities.mul(oneHot).sum().getFloat();
            long[] predicted = logits.argMax(1).toLongArray();
            for (int i = 0; i < labels.length; i++) {
                confusion[(int) labels[i]][(int) predicted[i]]++;
            }
            return loss;
        }
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
