package dev.trainstream.engine.state;

import dev.trainstream.engine.model.ModelOptions;
import dev.trainstream.engine.training.TrainingConfig;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to continue a run exactly: model and training configuration (which carries the seed),
 * step and epoch counters, parameters with BN statistics, and optimizer state. The learning-rate schedule and the
 * augmentation randomness are pure functions of (config, global step), so the counters fix them.
 *
 * @param model network options
 * @param config training configuration
 * @param globalStep optimizer steps completed
 * @param epoch the caller's epoch counter
 * @param optimizerStateNames names of the per-parameter optimizer arrays, e.g. {@code [momentum]}
 * @param parameters every parameter including BN running mean/variance
 * @param optimizerState per trainable parameter and state name, named {@code <param>#<state>}
 * @param provenance engine and library versions, save time
 */
public record SavedState(
        ModelOptions model,
        TrainingConfig config,
        long globalStep,
        int epoch,
        List<String> optimizerStateNames,
        List<TensorRecord> parameters,
        List<TensorRecord> optimizerState,
        Map<String, String> provenance) {

    /** Validates presence and copies collections. */
    public SavedState {
        if (model == null || config == null) {
            throw new IllegalArgumentException("model and config must be set");
        }
        if (globalStep < 0 || epoch < 0) {
            throw new IllegalArgumentException("globalStep and epoch must be >= 0");
        }
        optimizerStateNames = List.copyOf(optimizerStateNames);
        parameters = List.copyOf(parameters);
        optimizerState = List.copyOf(optimizerState);
        provenance = Map.copyOf(provenance);
    }
}
