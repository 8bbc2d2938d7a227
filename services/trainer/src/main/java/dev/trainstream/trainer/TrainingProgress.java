package dev.trainstream.trainer;

import dev.trainstream.engine.training.StepResult;

/** Hears every trained step, so a terminal can draw a per-epoch progress bar (the launcher's concern, not the loop's). */
@FunctionalInterface
public interface TrainingProgress {
    /**
     * @param epoch zero-based epoch of the batch
     * @param stepInEpoch one-based position of the batch in its epoch
     * @param stepsInEpoch batches in the epoch
     * @param result the step's loss, accuracy, learning rate and timing
     * @param batchImages images in the batch
     */
    void stepped(int epoch, int stepInEpoch, int stepsInEpoch, StepResult result, int batchImages);

    /** Progress that goes nowhere. */
    static TrainingProgress none() {
        return (epoch, step, steps, result, images) -> { };
    }
}
