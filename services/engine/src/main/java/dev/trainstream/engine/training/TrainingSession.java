package dev.trainstream.engine.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.trainstream.engine.data.CropFlipAugmentation;
import dev.trainstream.engine.data.LabeledImages;
import dev.trainstream.engine.data.Normalization;
import dev.trainstream.engine.data.PreparedBatch;
import dev.trainstream.engine.data.StepSeeds;
import dev.trainstream.engine.evaluation.BatchScorer;
import dev.trainstream.engine.evaluation.EvaluationReport;
import dev.trainstream.engine.evaluation.TestTimeAugmentation;
import dev.trainstream.engine.model.MobileNetV1;
import dev.trainstream.engine.model.ModelOptions;
import dev.trainstream.engine.optimizer.AdamW;
import dev.trainstream.engine.optimizer.ParameterOptimizer;
import dev.trainstream.engine.optimizer.ParameterSlot;
import dev.trainstream.engine.optimizer.SgdMomentum;
import dev.trainstream.engine.runtime.EngineRuntime;
import dev.trainstream.engine.state.IncompatibleStateException;
import dev.trainstream.engine.state.SavedState;
import dev.trainstream.engine.state.TensorRecord;
import dev.trainstream.engine.state.TrainingStateArchive;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.FloatBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A MobileNetV1 training run on DJL's PyTorch engine with a manual loop: forward and backward under a
 * GradientCollector, then our own optimizer updates the weights in place, then gradients are zeroed (never between
 * backward and update). Every step runs in its own NDManager scope so memory stays flat. Not thread-safe except
 * {@link #prepare}, which is pure CPU work meant for prefetch threads.
 *
 * <p>Longer than our usual ~250 lines on purpose: step, evaluation, save and restore touch the same parameter, buffer
 * and optimizer handles in an order that the bitwise-resume guarantee depends on, so they stay side by side; the
 * parts that stand alone are classes of their own (optimizers, schedules, augmentation, state archive, scorer).
 */
public final class TrainingSession implements AutoCloseable {

    private final ModelOptions model;
    private final TrainingConfig config;
    private final List<Device> devices;
    private final NDManager manager;
    private final NetworkParameters parameters;
    private final List<ParameterSlot> slots;
    private final ParameterOptimizer optimizer;
    private final LearningRateSchedule schedule;
    private final CropFlipAugmentation augmentation;
    private final Normalization normalization;
    /** MobileNetV1 reads RGB images ({@link dev.trainstream.engine.model.MobileNetV1#inputShape}). */
    private static final int INPUT_CHANNELS = 3;
    private final Engine engine;
    private long globalStep;
    private int epoch;

    private TrainingSession(ModelOptions model, TrainingConfig config, EngineOptions engineOptions) {
        this.model = model;
        this.config = config;
        this.engine = EngineRuntime.configure(engineOptions);
        this.devices = engineOptions.devices().resolve(engine.getGpuCount());
        this.manager = engine.newBaseManager(devices.get(0));
        // The dataset's statistics when the run has them (saved in the state with the config), else CIFAR-10's.
        this.normalization = config.normalization(INPUT_CHANNELS);
        this.augmentation = new CropFlipAugmentation(normalization, 4, config.augmentation().flips());
        this.schedule = new LearningRateSchedule(config);
        this.optimizer = switch (config.optimizer()) {
            case SGD -> new SgdMomentum(config.momentum(), config.nesterov(), config.weightDecay());
            case ADAMW -> new AdamW(config.momentum(), config.adamBeta2(), config.adamEpsilon(), config.weightDecay());
        };
        try {
            this.parameters = NetworkParameters.initialize(MobileNetV1.of(model), manager, config.seed());
            this.slots = createSlots();
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Starts a fresh run: weights initialised from {@code config.seed()}, step 0, epoch 0. */
    public static TrainingSession create(ModelOptions model, TrainingConfig config, EngineOptions engine) {
        if (model == null || config == null || engine == null) {
            throw new IllegalArgumentException("model, config and engine must be set");
        }
        return new TrainingSession(model, config, engine);
    }

    /**
     * Continues a run from a state written by {@link #save}; the next step behaves exactly as it would have in the
     * saved session.
     *
     * @throws IncompatibleStateException when the state is corrupt, of another format, or does not fit the network
     */
    public static TrainingSession restore(InputStream state, EngineOptions engine) throws IOException {
        if (state == null || engine == null) {
            throw new IllegalArgumentException("state and engine must be set");
        }
        SavedState saved = TrainingStateArchive.read(state);
        TrainingSession session = new TrainingSession(saved.model(), saved.config(), engine);
        try {
            if (!saved.optimizerStateNames().equals(session.optimizer.stateNames())) {
                throw new IncompatibleStateException("saved optimizer state " + saved.optimizerStateNames()
                        + " does not match " + session.optimizer.stateNames());
            }
            session.parameters.load(saved.parameters());
            NetworkParameters.copyInto(session.optimizerArrays(), saved.optimizerState(), "optimizer state");
            session.globalStep = saved.globalStep();
            session.epoch = saved.epoch();
            return session;
        } catch (IOException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** Augments (if configured) and normalises a raw batch for step {@code globalStep}; thread-safe, CPU only. */
    public PreparedBatch prepare(LabeledImages raw, long globalStep) {
        return prepare(raw, globalStep, null);
    }

    /**
     * As {@link #prepare(LabeledImages, long)}, into {@code into} when it has the batch's exact length: a caller that
     * recycles its pixel arrays once {@link #step} returned (step copies them into the engine) allocates none per step.
     */
    public PreparedBatch prepare(LabeledImages raw, long globalStep, float[] into) {
        requireFits(raw);
        return config.augmentation().crops()
                ? augmentation.apply(raw, config.seed(), globalStep, into)
                : normalization.normalize(raw, globalStep, into);
    }

    /** Runs one optimizer step on {@code batch} and advances the global step. */
    public StepResult step(PreparedBatch batch) {
        requireFits(batch);
        long start = System.nanoTime();
        long index = globalStep;
        double rate = schedule.rate(index);
        if (model.dropout() > 0) {
            engine.setRandomSeed((int) StepSeeds.forStep(config.seed(), index));
        }
        double loss;
        double accuracy;
        try (NDManager scope = manager.newSubManager()) {
            scope.tempAttachAll(parameters.arrays());
            slots.forEach(slot -> scope.tempAttachAll(slot.state().toArray(NDArray[]::new)));
            NDArray x = scope.create(FloatBuffer.wrap(batch.pixels()),
                    new Shape(batch.count(), batch.channels(), batch.height(), batch.width()));
            long[] labelValues = new long[batch.count()];
            for (int i = 0; i < labelValues.length; i++) {
                labelValues[i] = batch.labels()[i];
            }
            NDArray labels = scope.create(labelValues);
            double[] lossAndCorrect = forwardBackward(scope, x, labels);
            loss = lossAndCorrect[0];
            accuracy = lossAndCorrect[1] / batch.count();
            if (!Double.isFinite(loss)) {
                throw new IllegalStateException("loss is " + loss + " at step " + index + " (lr " + rate + ")");
            }
            update(rate, index + 1);
        }
        globalStep = index + 1;
        return new StepResult(globalStep, loss, accuracy, rate, System.nanoTime() - start);
    }

    /** Scores the current weights on {@code testBatches} in inference mode (no augmentation, no gradients). */
    public EvaluationReport evaluate(Iterator<LabeledImages> testBatches, int numClasses) {
        return evaluate(testBatches, numClasses, TestTimeAugmentation.NONE);
    }

    /** As {@link #evaluate(Iterator, int)}, with the given test-time augmentation. */
    public EvaluationReport evaluate(Iterator<LabeledImages> testBatches, int numClasses,
            TestTimeAugmentation augmentation) {
        return BatchScorer.score(parameters.network(), model, manager, testBatches, numClasses, augmentation,
            normalization);
    }

    /** Writes the full training state (one zip stream; {@code out} stays open). */
    public void save(OutputStream out) throws IOException {
        List<TensorRecord> optimizerState = new ArrayList<>();
        optimizerArrays().forEach((name, array) -> optimizerState.add(NetworkParameters.record(name, array)));
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("engine", engine.getEngineName());
        provenance.put("libtorch", engine.getVersion());
        provenance.put("djl", Engine.getDjlVersion());
        provenance.put("java", System.getProperty("java.version"));
        provenance.put("savedAt", Instant.now().toString());
        TrainingStateArchive.write(new SavedState(model, config, globalStep, epoch, optimizer.stateNames(),
                parameters.export(), optimizerState, provenance), out);
    }

    /** Optimizer steps completed. */
    public long globalStep() {
        return globalStep;
    }

    /** The caller's epoch counter (saved with the state). */
    public int epoch() {
        return epoch;
    }

    /** Sets the epoch counter. */
    public void setEpoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        this.epoch = epoch;
    }

    /** The network options. */
    public ModelOptions model() {
        return model;
    }

    /** The training configuration. */
    public TrainingConfig config() {
        return config;
    }

    /** The devices in use; the first holds the master weights. */
    public List<Device> devices() {
        return devices;
    }

    /** The learning rate the next step will use. */
    public double nextLearningRate() {
        return schedule.rate(globalStep);
    }

    /** All parameters (BN statistics included) copied out, for tests and exports. */
    public List<TensorRecord> parameterSnapshot() {
        return parameters.export();
    }

    @Override
    public void close() {
        manager.close();
    }

    private double[] forwardBackward(NDManager scope, NDArray x, NDArray labels) {
        int n = (int) x.getShape().get(0);
        int shards = Math.min(devices.size(), n);
        List<ParameterStore> stores = new ArrayList<>();
        double lossSum = 0;
        double correct = 0;
        try (GradientCollector collector = engine.newGradientCollector()) {
            for (int s = 0; s < shards; s++) {
                int from = (int) ((long) n * s / shards);
                int to = (int) ((long) n * (s + 1) / shards);
                Device device = devices.get(s);
                NDManager deviceScope = s == 0 ? scope : scope.newSubManager(device);
                ParameterStore store = new ParameterStore(deviceScope, false);
                stores.add(store);
                NDArray xs = shards == 1 ? x : x.get(from + ":" + to).toDevice(device, false);
                NDArray ys = shards == 1 ? labels : labels.get(from + ":" + to).toDevice(device, false);
                NDArray logits = parameters.network().forward(store, xs, true);
                NDArray loss = LabelSmoothedLoss.of(logits, ys, config.labelSmoothing());
                // weight each shard by its share so the summed gradient is the gradient of the batch mean
                collector.backward(shards == 1 ? loss : loss.mul((float) (to - from) / n));
                lossSum += loss.getFloat() * (to - from);
                correct += logits.argMax(1).eq(ys).sum().getLong();
            }
        }
        EngineRuntime.gradientMode(false);
        if (shards > 1) {
            gatherReplicaGradients(stores);
        }
        return new double[] {lossSum / n, correct};
    }

    private void gatherReplicaGradients(List<ParameterStore> stores) {
        for (ParameterSlot slot : slots) {
            NDArray mainGradient = slot.weight().getGradient();
            for (int s = 1; s < stores.size(); s++) {
                NDArray replica = stores.get(s).getValue(slot.parameter(), devices.get(s), true);
                mainGradient.addi(replica.getGradient().toDevice(devices.get(0), false));
            }
        }
    }

    private void update(double rate, long step) {
        List<NDArray> gradients = new ArrayList<>(slots.size());
        for (ParameterSlot slot : slots) {
            gradients.add(slot.weight().getGradient());
        }
        float scale = config.gradClipNorm() > 0 ? clipScale(gradients) : 1f;
        for (int i = 0; i < slots.size(); i++) {
            NDArray gradient = scale == 1f ? gradients.get(i) : gradients.get(i).mul(scale);
            optimizer.update(slots.get(i), gradient, rate, step);
        }
        for (ParameterSlot slot : slots) {
            JniUtils.zeroGrad((PtNDArray) slot.weight());
        }
    }

    private float clipScale(List<NDArray> gradients) {
        NDList squares = new NDList(gradients.size());
        for (NDArray gradient : gradients) {
            squares.add(gradient.square().sum());
        }
        double norm = Math.sqrt(NDArrays.stack(squares).sum().getFloat());
        double max = config.gradClipNorm();
        return norm > max ? (float) (max / (norm + 1e-6)) : 1f;
    }

    private List<ParameterSlot> createSlots() {
        List<ParameterSlot> out = new ArrayList<>();
        int stateArrays = optimizer.stateNames().size();
        for (Map.Entry<String, Parameter> entry : parameters.byName().entrySet()) {
            Parameter parameter = entry.getValue();
            if (parameter.requiresGradient()) {
                out.add(new ParameterSlot(entry.getKey(), parameter, decays(entry.getKey(), parameter),
                        stateArrays, manager));
            }
        }
        return List.copyOf(out);
    }

    private boolean decays(String name, Parameter parameter) {
        return switch (config.decayPolicy()) {
            case ALL -> true;
            case CONV_AND_LINEAR_WEIGHTS -> parameter.getType() == Parameter.Type.WEIGHT;
            case PAPER -> parameter.getType() == Parameter.Type.WEIGHT && !name.startsWith("conv_dw_");
        };
    }

    private Map<String, NDArray> optimizerArrays() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (ParameterSlot slot : slots) {
            for (int i = 0; i < slot.state().size(); i++) {
                out.put(slot.name() + "#" + optimizer.stateNames().get(i), slot.state().get(i));
            }
        }
        return out;
    }

    /** The slots (for tests of the decay policy). */
    List<ParameterSlot> slots() {
        return slots;
    }

    private void requireFits(LabeledImages raw) {
        requireShape(raw.channels(), raw.height(), raw.width());
        for (int label : raw.labels()) {
            requireLabel(label);
        }
    }

    private void requireFits(PreparedBatch batch) {
        requireShape(batch.channels(), batch.height(), batch.width());
        for (int label : batch.labels()) {
            requireLabel(label);
        }
    }

    private void requireShape(int channels, int height, int width) {
        if (channels != 3 || height != model.resolution() || width != model.resolution()) {
            throw new IllegalArgumentException("images are " + channels + "x" + height + "x" + width
                    + " but the model expects 3x" + model.resolution() + "x" + model.resolution());
        }
    }

    private void requireLabel(int label) {
        if (label >= model.numClasses()) {
            throw new IllegalArgumentException(
                    "label " + label + " is outside the model's " + model.numClasses() + " classes");
        }
    }

}
