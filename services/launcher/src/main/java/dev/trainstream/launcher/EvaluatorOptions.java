package dev.trainstream.launcher;

import dev.trainstream.engine.evaluation.TestTimeAugmentation;
import dev.trainstream.engine.training.DeviceChoice;
import dev.trainstream.evaluator.EvaluatorConfig;
import dev.trainstream.storage.S3Settings;
import picocli.CommandLine.Option;

/** The evaluator service's options (shared by {@code evaluator} and {@code up}). */
final class EvaluatorOptions {
    @Option(names = "--eval-batch-size", paramLabel = "N",
        defaultValue = "${env:TRAINSTREAM_EVAL_BATCH_SIZE:-" + Defaults.EVAL_BATCH_SIZE + "}",
        description = "Images per inference batch. Env: TRAINSTREAM_EVAL_BATCH_SIZE. Default: ${DEFAULT-VALUE}")
    int batchSize;

    @Option(names = "--eval-threads", paramLabel = "N", defaultValue = "${env:TRAINSTREAM_THREADS:-" + Defaults.THREADS + "}",
        description = "libtorch threads (0 = one per core). Env: TRAINSTREAM_THREADS. Default: ${DEFAULT-VALUE}")
    int threads;

    @Option(names = "--eval-device", paramLabel = "auto|cpu|gpu[:ids]",
        defaultValue = "${env:TRAINSTREAM_DEVICE:-" + Defaults.DEVICE + "}",
        description = "Devices for inference. Env: TRAINSTREAM_DEVICE. Default: ${DEFAULT-VALUE}")
    String device;

    @Option(names = "--gate-min-accuracy", paramLabel = "A",
        defaultValue = "${env:TRAINSTREAM_GATE_MIN_ACCURACY:-" + Defaults.GATE_MIN_ACCURACY + "}",
        description = "Promotion floor: test accuracy must be at least this. Env: TRAINSTREAM_GATE_MIN_ACCURACY. "
            + "Default: ${DEFAULT-VALUE}")
    double gateMinAccuracy;

    @Option(names = "--gate-min-improvement", paramLabel = "D",
        defaultValue = "${env:TRAINSTREAM_GATE_MIN_IMPROVEMENT:-" + Defaults.GATE_MIN_IMPROVEMENT + "}",
        description = "Promotion: must beat the run's best by at least this (0 = strictly better). "
            + "Env: TRAINSTREAM_GATE_MIN_IMPROVEMENT. Default: ${DEFAULT-VALUE}")
    double gateMinImprovement;

    @Option(names = "--eval-tta", paramLabel = "none|hflip",
        defaultValue = "${env:TRAINSTREAM_EVAL_TTA:-" + Defaults.EVAL_TTA + "}",
        description = "Test-time augmentation: none scores each image as it is; hflip averages the class probabilities "
            + "of the image and its mirror (twice the inference work; +0.8 to +1.1 points on CIFAR-10 in "
            + "docs/BENCHMARKS.md). Evaluation events and the best pointer record it. Env: TRAINSTREAM_EVAL_TTA. "
            + "Default: ${DEFAULT-VALUE}")
    String testTimeAugmentation;

    @Option(names = "--evaluator-group", paramLabel = "GROUP", defaultValue = Defaults.EVALUATOR_GROUP,
        description = "Consumer group; instances in one group share the checkpoints. Default: ${DEFAULT-VALUE}")
    String groupId;

    @Option(names = "--catch-up-newest-only-when-behind", paramLabel = "N",
        defaultValue = "${env:TRAINSTREAM_CATCH_UP_NEWEST_ONLY_WHEN_BEHIND:-0}",
        description = "Catch-up after downtime: when more than N checkpoint events are waiting, score only the newest "
            + "checkpoint of each run in the backlog (the older ones are logged and skipped, never scored). "
            + "0 = off: every checkpoint is scored, in order. Env: TRAINSTREAM_CATCH_UP_NEWEST_ONLY_WHEN_BEHIND. "
            + "Default: ${DEFAULT-VALUE}")
    long catchUpNewestOnlyWhenBehind;

    EvaluatorConfig toConfig(String kafkaBootstrap, short replication, S3Settings s3) {
        int engineThreads = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        TestTimeAugmentation augmentation;
        try {
            augmentation = TestTimeAugmentation.parse(testTimeAugmentation);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--eval-tta (TRAINSTREAM_EVAL_TTA): " + e.getMessage(), e);
        }
        return new EvaluatorConfig(batchSize, engineThreads, DeviceChoice.parse(device), gateMinAccuracy,
            gateMinImprovement, groupId, kafkaBootstrap, replication, s3, catchUpNewestOnlyWhenBehind, augmentation);
    }
}
