package dev.trainstream.engine.training;

/**
 * What one optimizer step did.
 *
 * @param globalStep the step just completed (1 after the first step)
 * @param loss mean training loss of the batch (with label smoothing, if configured)
 * @param accuracy fraction of the batch classified correctly before the update
 * @param learningRate the rate applied in this step
 * @param computeNanos wall time of forward, backward and update
 */
public record StepResult(long globalStep, double loss, double accuracy, double learningRate, long computeNanos) {}
