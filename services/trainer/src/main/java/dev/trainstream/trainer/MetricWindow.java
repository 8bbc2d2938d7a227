package dev.trainstream.trainer;

import dev.trainstream.engine.training.StepResult;

/** Accumulates step results between two metric events, so each event reports averages over its window. */
final class MetricWindow {
    private double lossSum;
    private double accuracySum;
    private long steps;
    private long images;
    private long dataWaitNanos;
    private long startedNanos = System.nanoTime();
    private StepResult last;

    void add(StepResult result, int batchImages, long waitNanos) {
        lossSum += result.loss();
        accuracySum += result.accuracy();
        steps++;
        images += batchImages;
        dataWaitNanos += waitNanos;
        last = result;
    }

    boolean isEmpty() {
        return steps == 0;
    }

    double meanLoss() {
        return lossSum / steps;
    }

    double meanAccuracy() {
        return accuracySum / steps;
    }

    double imagesPerSecond() {
        return images / Math.max(1e-9, (System.nanoTime() - startedNanos) / 1e9);
    }

    double dataWaitMillisPerStep() {
        return dataWaitNanos / 1e6 / steps;
    }

    StepResult last() {
        return last;
    }

    void reset() {
        lossSum = 0;
        accuracySum = 0;
        steps = 0;
        images = 0;
        dataWaitNanos = 0;
        startedNanos = System.nanoTime();
    }
}
