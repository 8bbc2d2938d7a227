package dev.trainstream.bench;

import dev.trainstream.engine.data.LabeledImages;
import dev.trainstream.engine.data.PreparedBatch;
import dev.trainstream.engine.model.Activation;
import dev.trainstream.engine.model.ModelOptions;
import dev.trainstream.engine.training.DecayPolicy;
import dev.trainstream.engine.training.EngineOptions;
import dev.trainstream.engine.training.StepResult;
import dev.trainstream.engine.training.TrainingConfig;
import dev.trainstream.engine.training.TrainingSession;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;

/** The bare DJL engine loop on synthetic CIFAR-shaped data: {@link TrainingSession#step} and evaluate. */
public final class DjlLoop implements AutoCloseable {

    private static final int SIZE = 32;
    private static final int CLASSES = 10;

    private final TrainingSession session;
    private final List<PreparedBatch> trainBatches = new ArrayList<>();

    /** A session for MobileNetV1 alpha=1 in CIFAR layout, SGD Nesterov like the peer, on the CPU. */
    public DjlLoop(int trainBatch, int threads, Activation activation) {
        this(trainBatch, activation, EngineOptions.cpu(threads));
    }

    /**
     * As {@link #DjlLoop(int, int, Activation)} on the engine's device: the weights live there, and every step copies
     * its batch from host memory to it, as the trainer does (the peer does the same).
     */
    public DjlLoop(int trainBatch, Activation activation, EngineOptions engine) {
        ModelOptions model = ModelOptions.builder().optActivation(activation).build();
        TrainingConfig config = TrainingConfig.builder().setTotalSteps(1_000_000).optBatchSize(trainBatch)
                .optLearningRate(0.05).optWarmupSteps(0).optDecayPolicy(
                        DecayPolicy.ALL).build();
        this.session = TrainingSession.create(model, config, engine);
        SplittableRandom random = new SplittableRandom(0);
        for (int b = 0; b < 4; b++) {
            float[] pixels = new float[trainBatch * 3 * SIZE * SIZE];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (float) gaussian(random);
            }
            int[] labels = random.ints(trainBatch, 0, CLASSES).toArray();
            trainBatches.add(new PreparedBatch(0, trainBatch, 3, SIZE, SIZE, pixels, labels));
        }
    }

    /** Times {@code steps} training steps after {@code warmup} untimed ones; {@code perStep} sees each step index. */
    public BenchResult train(int steps, int warmup, LongConsumer perStep) {
        for (int i = 0; i < warmup; i++) {
            session.step(trainBatches.get(i % trainBatches.size()));
        }
        long start = System.nanoTime();
        long cpuStart = ProcessMemory.cpuNanos();
        long faultsStart = ProcessMemory.minorFaults();
        for (int i = 0; i < steps; i++) {
            StepResult result = session.step(trainBatches.get(i % trainBatches.size()));
            perStep.accept(i + 1L);
            if (!Double.isFinite(result.loss())) {
                throw new IllegalStateException("loss diverged in the benchmark at step " + i);
            }
        }
        return result("train", trainBatches.get(0).count(), steps, System.nanoTime() - start,
                ProcessMemory.cpuNanos() - cpuStart, ProcessMemory.minorFaults() - faultsStart);
    }

    /** Times {@code steps} evaluation batches of {@code batch} images after {@code warmup} untimed ones. */
    public BenchResult evaluate(int batch, int steps, int warmup) {
        SplittableRandom random = new SplittableRandom(1);
        byte[] pixels = new byte[batch * 3 * SIZE * SIZE];
        random.ints(pixels.length, 0, 256).forEach(new IntConsumer() {
            private int i;

            @Override
            public void accept(int v) {
                pixels[i++] = (byte) v;
            }
        });
        LabeledImages images = new LabeledImages(batch, 3, SIZE, SIZE, pixels, random.ints(batch, 0, CLASSES).toArray());
        session.evaluate(Collections.nCopies(warmup, images).iterator(), CLASSES);
        long start = System.nanoTime();
        long cpuStart = ProcessMemory.cpuNanos();
        long faultsStart = ProcessMemory.minorFaults();
        session.evaluate(Collections.nCopies(steps, images).iterator(), CLASSES);
        return result("eval", batch, steps, System.nanoTime() - start, ProcessMemory.cpuNanos() - cpuStart,
                ProcessMemory.minorFaults() - faultsStart);
    }

    private static BenchResult result(String mode, int batch, int steps, long nanos, long cpuNanos, long faults) {
        double seconds = nanos / 1e9;
        return new BenchResult("djl", mode, batch, steps, batch * steps / seconds, 1000 * seconds / steps,
                cpuNanos / 1e6 / steps, ProcessMemory.rssMb(), (double) faults / steps);
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    @Override
    public void close() {
        session.close();
    }
}
