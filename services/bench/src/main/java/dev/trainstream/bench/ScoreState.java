package dev.trainstream.bench;

import dev.trainstream.engine.data.LabeledImages;
import dev.trainstream.engine.evaluation.CheckpointScorer;
import dev.trainstream.engine.evaluation.EvaluationReport;
import dev.trainstream.engine.evaluation.TestTimeAugmentation;
import dev.trainstream.engine.training.EngineOptions;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Scores a saved training state (an accuracy run's {@code state-latest.zip}, a trainer checkpoint's engine state) on
 * the real CIFAR-10 test split once per test-time augmentation, so the gain of flip averaging is measured on the same
 * weights and images in one run.
 */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Test accuracy of a saved training state on the CIFAR-10 JPEG test split, plain and flip-averaged.")
final class ScoreState implements Callable<Integer> {

    @Option(names = "--state", paramLabel = "FILE", required = true,
        description = "Training state written by TrainingSession.save (e.g. OUT/state-latest.zip of bench accuracy).")
    Path state;

    @Option(names = "--data", paramLabel = "FILE", defaultValue = "../shared/datasets/cifar10-jpeg.tar.gz",
        description = "CIFAR-10 JPEG archive (its test split is scored). Default: ${DEFAULT-VALUE}")
    Path archive;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2",
        description = "Intra-op threads. Default: ${DEFAULT-VALUE}")
    int threads;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "256",
        description = "Evaluation batch. Default: ${DEFAULT-VALUE}")
    int batch;

    @Override
    public Integer call() throws Exception {
        BenchOptions.positive("threads", threads);
        BenchOptions.positive("batch", batch);
        for (Path file : List.of(state, archive)) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(file.toAbsolutePath() + ": no such file");
            }
        }
        LabeledImages test = CifarJpegArchive.load(archive).test();
        List<EvaluationReport> reports = new ArrayList<>();
        try (InputStream in = Files.newInputStream(state);
             CheckpointScorer scorer = CheckpointScorer.load(in, EngineOptions.cpu(threads))) {
            System.out.printf(Locale.ROOT, "state %s: step %d, epoch %d; %d test images, batch %d, %d threads%n",
                state, scorer.globalStep(), scorer.epoch(), test.count(), batch, threads);
            for (TestTimeAugmentation augmentation : TestTimeAugmentation.values()) {
                EvaluationReport report = scorer.evaluate(AccuracyRun.inBatches(test, batch), 10, augmentation);
                reports.add(report);
                System.out.printf(Locale.ROOT, "tta %-5s  accuracy %.4f  mean loss %.4f  %.0f images/s%n",
                    augmentation.label(), report.accuracy(), report.meanLoss(), report.imagesPerSecond());
            }
        }
        System.out.printf(Locale.ROOT, "hflip - none: %+.2f accuracy points, scoring time x%.2f%n",
            100 * (reports.get(1).accuracy() - reports.get(0).accuracy()),
            reports.get(0).imagesPerSecond() / reports.get(1).imagesPerSecond());
        return 0;
    }
}
