package dev.trainstream.bench;

import dev.trainstream.engine.data.LabeledImages;
import dev.trainstream.engine.data.StepSeeds;
import dev.trainstream.engine.evaluation.EvaluationReport;
import dev.trainstream.engine.model.ModelOptions;
import dev.trainstream.engine.runtime.EngineInfo;
import dev.trainstream.engine.training.DecayPolicy;
import dev.trainstream.engine.training.EngineOptions;
import dev.trainstream.engine.training.PrefetchPipeline;
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
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The CIFAR-10 accuracy run (not CI): MobileNetV1 alpha=1 in CIFAR layout trained on the JPEG archive with the
 * engine defaults, test accuracy after every epoch, a CSV and a PNG curve, and the full training state per epoch.
 */
public final class AccuracyRun {

    private AccuracyRun() {}

    /**
     * {@code accuracy [--data F] [--epochs N] [--batch N] [--threads N] [--out DIR] [--max-steps N] [--seed N]
     * [--label-smoothing X] [--lr X] [--warmup-epochs X] [--weight-decay X] [--decay-policy P] [--peer SCRIPT]
     * [--python PATH]}; the recipe flags default to the engine's defaults (see {@link TrainingConfig.Builder}). With
     * {@code --peer bench/pytorch_accuracy.py} the same recipe then runs in PyTorch (into {@code OUT/pytorch}) and the
     * final accuracies are printed side by side with their ratio.
     */
    public static void main(String[] args) throws Exception {
        Path data = Path.of("/work/shared/datasets/cifar10-jpeg.tar.gz");
        int epochs = 15;
        int batch = 128;
        int threads = 2;
        Path out = Path.of("target", "accuracy");
        int maxSteps = Integer.MAX_VALUE;
        long seed = 42;
        double labelSmoothing = 0.1;
        Double learningRate = null;
        Double warmupEpochs = null;
        Double weightDecay = null;
        DecayPolicy decayPolicy = null;
        Path peerScript = null;
        String python = "/usr/bin/python3";
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--data" -> data = Path.of(args[i + 1]);
                case "--epochs" -> epochs = Integer.parseInt(args[i + 1]);
                case "--batch" -> batch = Integer.parseInt(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--out" -> out = Path.of(args[i + 1]);
                case "--max-steps" -> maxSteps = Integer.parseInt(args[i + 1]);
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                case "--label-smoothing" -> labelSmoothing = Double.parseDouble(args[i + 1]);
                case "--lr" -> learningRate = Double.parseDouble(args[i + 1]);
                case "--warmup-epochs" -> warmupEpochs = Double.parseDouble(args[i + 1]);
                case "--weight-decay" -> weightDecay = Double.parseDouble(args[i + 1]);
                case "--decay-policy" -> decayPolicy = DecayPolicy.valueOf(args[i + 1].toUpperCase(Locale.ROOT));
                case "--peer" -> peerScript = Path.of(args[i + 1]);
                case "--python" -> python = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("options come in pairs: --name value");
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
                try (PrefetchPipeline pipeline = PrefetchPipeline.start(
                        () -> batches.hasNext() ? Optional.of(batches.next()) : Optional.empty(),
                        session::prepare, session.globalStep(), 4, 1)) {
                    Optional<PrefetchPipeline.Fetched> next;
                    while ((next = pipeline.next()).isPresent()) {
                        StepResult step = session.step(next.get().batch());
                        lossSum += step.loss();
                        accuracySum += step.accuracy();
                    }
                    session.setEpoch(epoch);
                    EvaluationReport report = session.evaluate(inBatches(cifar.test(), 256), 10);
                    double seconds = (System.nanoTime() - epochStart) / 1e9;
                    trainAccuracy.add(accuracySum / stepsPerEpoch);
                    testAccuracy.add(report.accuracy());
                    System.out.printf(Locale.ROOT, "epoch %2d  train loss %.4f acc %.4f  test loss %.4f acc %.4f"
                            + "  %.0f s  data wait %.0f ms%n", epoch, lossSum / stepsPerEpoch,
                            accuracySum / stepsPerEpoch, report.meanLoss(), report.accuracy(), seconds,
                            pipeline.totalDataWaitNanos() / 1e6);
                    csv.printf(Locale.ROOT, "%d,%.5f,%.5f,%.5f,%.5f,%.1f,%.0f%n", epoch, lossSum / stepsPerEpoch,
                            accuracySum / stepsPerEpoch, report.meanLoss(), report.accuracy(), seconds,
                            pipeline.totalDataWaitNanos() / 1e6);
                    csv.flush();
                }
                try (OutputStream state = Files.newOutputStream(out.resolve("state-latest.zip"))) {
                    session.save(state);
                }
                CurvePlot.write(out.resolve("curve.png"), "MobileNetV1 alpha=1 CIFAR-10 (DJL engine)",
                        trainAccuracy, testAccuracy);
            }
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

    private static Iterator<LabeledImages> inBatches(LabeledImages all, int batch) {
        List<LabeledImages> out = new ArrayList<>();
        for (int from = 0; from < all.count(); from += batch) {
            out.add(all.slice(from, Math.min(all.count(), from + batch)));
        }
        return out.iterator();
    }
}
