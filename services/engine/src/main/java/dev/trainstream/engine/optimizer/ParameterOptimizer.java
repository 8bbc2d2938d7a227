package dev.trainstream.engine.optimizer;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * An update rule whose per-parameter state lives in {@link ParameterSlot}s owned by the training session, so a
 * saved training state contains it. Implementations update weights in place and must run with gradient mode off.
 */
public sealed interface ParameterOptimizer permits SgdMomentum, AdamW {

    /** Names of the state arrays each slot holds, e.g. {@code momentum} or {@code exp_avg, exp_avg_sq}. */
    List<String> stateNames();

    /**
     * Applies one update.
     *
     * @param slot the parameter and its state
     * @param gradient the gradient of the loss; implementations may overwrite it (the engine zeroes it afterwards)
     * @param learningRate the rate for this step
     * @param step one-based index of this update (AdamW's bias correction)
     */
    void update(ParameterSlot slot, NDArray gradient, double learningRate, long step);
}
