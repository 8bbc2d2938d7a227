package dev.trainstream.bench;

import dev.trainstream.engine.data.LabeledImages;
import dev.trainstream.engine.data.StepSeeds;
import dev.trainstream.engine.evaluation.EvaluationReport;
import dev.trainstream.engine.evaluation.TestTimeAugmentation;
import dev.trainstream.engine.model.ModelOptions;
import dev.trainstream.engine.runtime.EngineInfo;
import dev.trainstream.engine.training.DecayPolicy;
import dev.trainstream.engine.training.EngineOptions;
import dev.trainstream.engine.training.Lookahead;
import dev.trainstream.engine.training.StepResult;
import dev.trainstream.engine.training.TrainingConfig;
import dev.trainstream.engine.training.TrainingSession;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The CIFAR-10 accuracy run (not CI): MobileNetV1 alpha=1 in CIFAR layout trained on the JPEG archive with the
 * engine defaults, test accuracy after every epoch, a CSV and a PNG curve, and the full training state per epoch. With
 * {@code --peer bench/pytorch_accuracy.py} the recipe this run resolved then runs in PyTorch (into {@code OUT/pytorch})
 * and both final accuracies are printed with their ratio. The final weights are also scored with flip averaging (the
 * evaluator's {@code --eval-tta hflip}); the curve is plain scoring.
 */
@Command(name = "accuracy", mixinStandardHelpOptions = true, sortOptions = false,
    description = "CIFAR-10 accuracy run on the JPEG archive (about 4.5 CPU minutes per epoch on 2 cores); recipe flags "
        + "left out take the engine's defaults (TrainingConfig.Builder).")
final class AccuracyRun implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "FILE", defaultValue = "../shared/datasets/cifar10-jpeg.tar.gz",
        description = "CIFAR-10 JPEG archive (train/<class>/, test/<class>/). Default: ${DEFAULT-VALUE}")
    Path data;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "15",
        description = "Epochs. Default: ${DEFAULT-VALUE}")
    int epochs;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "128",
        description = "Training batch. Default: ${DEFAULT-VALUE}")
    int batch;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2",
        description = "Intra-op threads. Default: ${DEFAULT-VALUE}")
    int threads;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "target/accuracy",
        description = "Curve (CSV, PNG), training state and the peer's output. Default: ${DEFAULT-VALUE}")
    Path out;

    @Option(names = "--max-steps", paramLabel = "N", defaultValue = "2147483647",
        description = "At most this many steps per epoch (smoke runs). Default: ${DEFAULT-VALUE}")
    int maxSteps;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
        description = "Seed of initialisation, shuffling and augmentation. Default: ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--label-smoothing", paramLabel = "X", defaultValue = "0.1",
        description = "Label smoothing. Default: ${DEFAULT-VALUE}")
    double labelSmoothing;

    @Option(names = "--lr", paramLabel = "X",
        description = "Peak learning rate. Default: the engine's (SGD 0.1 x batch/128).")
    Double learningRate;

    @Option(names = "--warmup-epochs", paramLabel = "X",
        description = "Linear warm-up length in epochs. Default: the engine's (2%% of the steps).")
    Double warmupEpochs;

    @Option(names = "--weight-decay", paramLabel = "X",
        description = "Weight decay. Default: the engine's (5e-4).")
    Double weightDecay;

    @Option(names = "--decay-policy", paramLabel = "P",
        description = "conv_and_linear_weights, paper or all. Default: the engine's (conv_and_linear_weights).")
    DecayPolicy decayPolicy;

    @Option(names = "--peer", paramLabel = "SCRIPT",
        description = "Then run the same recipe in PyTorch (bench/pytorch_accuracy.py) and print djl/pytorch.")
    Path peerScript;

    @Option(names = "--python", paramLabel = "PATH", defaultValue = "/usr/bin/python3",
        description = "Interpreter for the peer. Default: ${DEFAULT-VALUE}")
    String python;

    @Override
    public Integer call() throws Exception {
        BenchOptions.positive("epochs", epochs);
        BenchOptions.positive("batch", batch);
        BenchOptions.positive("threads", threads);
        BenchOptions.positive("max-steps", maxSteps);
        if (!Files.isRegularFile(data)) {
            throw new IllegalArgumentException("--data " + data.toAbsolutePath() + ": no such file");
        }
        if (peerScript != null && !Files.isRegularFile(peerScript)) {
            throw new IllegalArgumentException("--peer " + peerScript + ": no such file (run from the repository root)");
        }
        Files.createDirectories(out);
        EngineOptions engine = EngineOptions.cpu(threads);
        System.out.println("doctor: " + EngineInfo.describe(engine));
        long start = System.nanoTime();
        CifarJpegArchive cifar = CifarJpegArchive.load(data);
        System.out.printf(Locale.ROOT, "decoded %d train / %d test images in %.1f s%n", cifar.train().count(),
                cifar.test().count(), (System.nanoTime() - start) / 1e9);
        int stepsPerEpoch = Math.min(maxSteps, cifar.train().count() / batch);
        TrainingConfig.Builder recipe = TrainingConfig.builder().optBatchSize(batch)
                .setTotalSteps((long) epochs * stepsPerEpoch).optLabelSmoothing(labelSmoothing).optSeed(seed);
        if (learningRate != null) {
            recipe.optLearningRate(learningRate);
        }
        if (warmupEpochs != null) {
            recipe.optWarmupSteps(Math.round(warmupEpochs * stepsPerEpoch));
        }
        if (weightDecay != null) {
            recipe.optWeightDecay(weightDecay);
        }
        if (decayPolicy != null) {
            recipe.optDecayPolicy(decayPolicy);
        }
        TrainingConfig config = recipe.build();
        System.out.println("config: " + config);
        List<Double> trainAccuracy = new ArrayList<>();
        List<Double> testAccuracy = new ArrayList<>();
        try (TrainingSession session = TrainingSession.create(ModelOptions.builder().build(), config, engine);
                PrintWriter csv = new PrintWriter(Files.newBufferedWriter(out.resolve("curve.csv")))) {
            csv.println("epoch,train_loss,train_accuracy,test_loss,test_accuracy,epoch_seconds,data_wait_ms");
            for (int epoch = 1; epoch <= epochs; epoch++) {
                long epochStart = System.nanoTime();
                Iterator<LabeledImages> batches = shuffled(cifar.train(), batch, stepsPerEpoch, seed, epoch);
                double lossSum = 0;
                double accuracySum = 0;
                try (Lookahead<Long> pipeline = Lookahead.start(4, 1, "accuracy-prepare")) {
                    long step = session.globalStep();
                    while (batches.hasNext() || !pipeline.isEmpty()) {
                        while (batches.hasNext() && pipeline.hasRoom()) {
                            LabeledImages raw = batches.next();
                            long sequence = step++;
                            pipeline.submit(sequence, () -> session.prepare(raw, sequence));
                        }
                        StepResult result = session.step(pipeline.take().batchOrThrow());
                        lossSum += result.loss();
                        accuracySum += result.accuracy();
                    }
                    session.setEpoch(epoch);
                    EvaluationReport report = session.evaluate(inBatches(cifar.test(), 256), 10);
                    double seconds = (System.nanoTime() - epochStart) / 1e9;
                    trainAccuracy.add(accuracySum / stepsPerEpoch);
                    testAccuracy.add(report.accuracy());
                    System.out.printf(Locale.ROOT, "epoch %2d  train loss %.4f acc %.4f  test loss %.4f acc %.4f"
                            + "  %.0f s  data wait %.0f ms%n", epoch, lossSum / stepsPerEpoch,
                            accuracySum / stepsPerEpoch, report.meanLoss(), report.accuracy(), seconds,
                            pipeline.totalWaitNanos() / 1e6);
                    csv.printf(Locale.ROOT, "%d,%.5f,%.5f,%.5f,%.5f,%.1f,%.0f%n", epoch, lossSum / stepsPerEpoch,
                            accuracySum / stepsPerEpoch, report.meanLoss(), report.accuracy(), seconds,
                            pipeline.totalWaitNanos() / 1e6);
                    csv.flush();
                }
                try (OutputStream state = Files.newOutputStream(out.resolve("state-latest.zip"))) {
                    session.save(state);
                }
                CurvePlot.write(out.resolve("curve.png"), "MobileNetV1 alpha=1 CIFAR-10 (DJL engine)",
                        trainAccuracy, testAccuracy);
            }
            EvaluationReport flip = session.evaluate(inBatches(cifar.test(), 256), 10,
                    TestTimeAugmentation.HORIZONTAL_FLIP);
            System.out.printf(Locale.ROOT, "final test accuracy with flip averaging (evaluator --eval-tta hflip) %.4f%n",
                    flip.accuracy());
        }
        double djl = testAccuracy.get(testAccuracy.size() - 1);
        System.out.printf(Locale.ROOT, "final test accuracy %.4f after %d epochs (%.1f min)%n",
                djl, epochs, (System.nanoTime() - start) / 60e9);
        if (peerScript != null) {
            AccuracyPeer peer = new AccuracyPeer(python, peerScript);
            Path peerOut = out.resolve("pytorch");
            double pytorch = peer.run(peer.command(config, data, epochs, stepsPerEpoch, maxSteps, threads, peerOut),
                    peerOut);
            System.out.printf(Locale.ROOT, "final test accuracy after %d epochs: djl %.4f, pytorch %.4f, ratio"
                    + " djl/pytorch %.3f%n", epochs, djl, pytorch, djl / pytorch);
        }
        return 0;
    }

    private static Iterator<LabeledImages> shuffled(LabeledImages all, int batch, int steps, long seed, int epoch) {
        int[] order = new int[all.count()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(StepSeeds.forStep(seed ^ 0x5EED, epoch));
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return new Iterator<>() {
            private int step;

            @Override
            public boolean hasNext() {
                return step < steps;
            }

            @Override
            public LabeledImages next() {
                int size = all.imageSize();
                byte[] pixels = new byte[batch * size];
                int[] labels = new int[batch];
                for (int i = 0; i < batch; i++) {
                    int index = order[step * batch + i];
                    System.arraycopy(all.pixels(), index * size, pixels, i * size, size);
                    labels[i] = all.labels()[index];
                }
                step++;
                return new LabeledImages(batch, all.channels(), all.height(), all.width(), pixels, labels);
            }
        };
    }

    /** {@code all} as consecutive batches of {@code batch} images (the last one may be smaller), for scoring. */
    static Iterator<LabeledImages> inBatches(LabeledImages all, int batch) {
        List<LabeledImages> out = new ArrayList<>();
        for (int from = 0; from < all.count(); from += batch) {
            out.add(all.slice(from, Math.min(all.count(), from + batch)));
        }
        return out.iterator();
    }
}
