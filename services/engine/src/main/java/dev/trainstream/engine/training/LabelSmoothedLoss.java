package dev.trainstream.engine.training;

import ai.djl.ndarray.NDArray;

/** Mean cross-entropy against label-smoothed one-hot targets: {@code (1 - eps) * onehot + eps / K}. */
final class LabelSmoothedLoss {

    private LabelSmoothedLoss() {}

    /** Loss over the batch, a scalar; {@code labels} are int64 class indices. */
    static NDArray of(NDArray logits, NDArray labels, double smoothing) {
        long classes = logits.getShape().get(1);
        NDArray target = labels.oneHot((int) classes);
        if (smoothing > 0) {
            target = target.muli((float) (1 - smoothing)).addi((float) (smoothing / classes));
        }
        return logits.logSoftmax(1).mul(target).sum(new int[] {1}).mean().neg();
    }
}
