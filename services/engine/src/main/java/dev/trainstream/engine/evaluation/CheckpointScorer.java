package dev.trainstream.engine.evaluation;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.trainstream.engine.data.LabeledImages;
import dev.trainstream.engine.model.MobileNetV1;
import dev.trainstream.engine.model.ModelOptions;
import dev.trainstream.engine.runtime.EngineRuntime;
import dev.trainstream.engine.state.SavedState;
import dev.trainstream.engine.state.TrainingStateArchive;
import dev.trainstream.engine.training.EngineOptions;
import dev.trainstream.engine.training.NetworkParameters;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;

/** For the evaluator: loads the weights of a saved training state (optimizer state ignored) and scores them. */
public final class CheckpointScorer implements AutoCloseable {

    private final SavedState state;
    private final NDManager manager;
    private final NetworkParameters parameters;

    private CheckpointScorer(SavedState state, NDManager manager, NetworkParameters parameters) {
        this.state = state;
        this.manager = manager;
        this.parameters = parameters;
    }

    /**
     * Loads a state written by {@code TrainingSession.save} onto the first device {@code engine} selects.
     *
     * @throws dev.trainstream.engine.state.IncompatibleStateException for corrupt or mismatching state
     */
    public static CheckpointScorer load(InputStream state, EngineOptions engine) throws IOException {
        if (state == null || engine == null) {
            throw new IllegalArgumentException("state and engine must be set");
        }
        SavedState saved = TrainingStateArchive.read(state);
        Engine loaded = EngineRuntime.configure(engine);
        NDManager manager = loaded.newBaseManager(engine.devices().resolve(loaded.getGpuCount()).get(0));
        try {
            NetworkParameters parameters = NetworkParameters.initialize(
                    MobileNetV1.of(saved.model()), manager, saved.config().seed());
            parameters.load(saved.parameters());
            return new CheckpointScorer(saved, manager, parameters);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** The network options of the checkpoint. */
    public ModelOptions model() {
        return state.model();
    }

    /** Optimizer steps the checkpoint had completed. */
    public long globalStep() {
        return state.globalStep();
    }

    /** Epoch counter saved with the checkpoint. */
    public int epoch() {
        return state.epoch();
    }

    /** Scores the checkpoint in inference mode, each image as it is. */
    public EvaluationReport evaluate(Iterator<LabeledImages> testBatches, int numClasses) {
        return evaluate(testBatches, numClasses, TestTimeAugmentation.NONE);
    }

    /** Scores the checkpoint in inference mode with the given test-time augmentation. */
    public EvaluationReport evaluate(Iterator<LabeledImages> testBatches, int numClasses,
            TestTimeAugmentation augmentation) {
        // The statistics the run was trained with (its state carries them), so scoring sees what training saw.
        return BatchScorer.score(parameters.network(), state.model(), manager, testBatches, numClasses, augmentation,
            state.config().normalization(3));
    }

    @Override
    public void close() {
        manager.close();
    }
}
