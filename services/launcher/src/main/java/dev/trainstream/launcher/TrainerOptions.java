package dev.trainstream.launcher;

import dev.trainstream.engine.model.Activation;
import dev.trainstream.engine.training.DeviceChoice;
import dev.trainstream.engine.training.OptimizerKind;
import dev.trainstream.storage.S3Settings;
import dev.trainstream.trainer.TrainerConfig;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import picocli.CommandLine.Option;

/** The trainer service's options (shared by {@code trainer} and {@code up}). */
final class TrainerOptions {
    @Option(names = "--run-id", paramLabel = "ID", defaultValue = "${env:TRAINSTREAM_RUN_ID}",
        description = "Run id: its checkpoints, consumer group and events. Reuse it to resume. Generated if absent. "
            + "Env: TRAINSTREAM_RUN_ID")
    String runId;

    @Option(names = "--width-multiplier", paramLabel = "ALPHA",
        defaultValue = "${env:TRAINSTREAM_WIDTH_MULTIPLIER:-" + Defaults.WIDTH_MULTIPLIER + "}",
        description = "MobileNetV1 width multiplier. Env: TRAINSTREAM_WIDTH_MULTIPLIER. Default: ${DEFAULT-VALUE}")
    double widthMultiplier;

    @Option(names = "--activation", paramLabel = "RELU|RELU6", defaultValue = Defaults.ACTIVATION,
        description = "Activation (RELU = the paper). Default: ${DEFAULT-VALUE}")
    Activation activation;

    @Option(names = "--dropout", paramLabel = "P", defaultValue = "0", description = "Dropout before the classifier.")
    double dropout;

    @Option(names = "--optimizer", paramLabel = "SGD|ADAMW",
        defaultValue = "${env:TRAINSTREAM_OPTIMIZER:-" + Defaults.OPTIMIZER + "}",
        description = "SGD (momentum 0.9, Nesterov) or ADAMW. Env: TRAINSTREAM_OPTIMIZER. Default: ${DEFAULT-VALUE}")
    OptimizerKind optimizer;

    @Option(names = "--learning-rate", paramLabel = "LR", defaultValue = "${env:TRAINSTREAM_LEARNING_RATE:-NaN}",
        description = "Peak learning rate (NaN = SGD 0.1*batch/128, AdamW 1e-3). Env: TRAINSTREAM_LEARNING_RATE")
    double learningRate;

    @Option(names = "--weight-decay", paramLabel = "WD", defaultValue = "${env:TRAINSTREAM_WEIGHT_DECAY:-NaN}",
        description = "Weight decay on conv/linear weights (NaN = SGD 5e-4, AdamW 0.05). Env: TRAINSTREAM_WEIGHT_DECAY")
    double weightDecay;

    @Option(names = "--label-smoothing", paramLabel = "E", defaultValue = "0", description = "Label smoothing.")
    double labelSmoothing;

    @Option(names = "--train-epochs", paramLabel = "N", defaultValue = "${env:TRAINSTREAM_EPOCHS:-" + Defaults.EPOCHS + "}",
        description = "Epochs to train before finishing. Env: TRAINSTREAM_EPOCHS. Default: ${DEFAULT-VALUE}")
    int epochs;

    @Option(names = "--train-seed", paramLabel = "N", defaultValue = "${env:TRAINSTREAM_SEED:-" + Defaults.SEED + "}",
        description = "Seed of initialisation and augmentation. Env: TRAINSTREAM_SEED. Default: ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--dataset-id", paramLabel = "ID", description = "Train only on this dataset (default: the first seen).")
    String datasetId;

    @Option(names = "--metrics-every-steps", paramLabel = "N",
        defaultValue = "${env:TRAINSTREAM_METRICS_EVERY_STEPS:-" + Defaults.METRICS_EVERY_STEPS + "}",
        description = "Metric event cadence. Env: TRAINSTREAM_METRICS_EVERY_STEPS. Default: ${DEFAULT-VALUE}")
    int metricsEverySteps;

    @Option(names = "--checkpoint-every-steps", paramLabel = "N",
        defaultValue = "${env:TRAINSTREAM_CHECKPOINT_EVERY_STEPS:-" + Defaults.CHECKPOINT_EVERY_STEPS + "}",
        description = "Checkpoint cadence in steps (0 = epoch ends only). Env: TRAINSTREAM_CHECKPOINT_EVERY_STEPS. "
            + "Default: ${DEFAULT-VALUE}")
    int checkpointEverySteps;

    @Option(names = "--checkpoint-every-minutes", paramLabel = "M", defaultValue = "0",
        description = "Also checkpoint when this many minutes passed since the last checkpoint (0 = off). "
            + "Default: ${DEFAULT-VALUE}")
    double checkpointEveryMinutes;

    @Option(names = "--keep-checkpoints", paramLabel = "K", defaultValue = Defaults.KEEP_CHECKPOINTS,
        description = "Newest checkpoints kept (plus the best). Default: ${DEFAULT-VALUE}")
    int keepCheckpoints;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "${env:TRAINSTREAM_THREADS:-" + Defaults.THREADS + "}",
        description = "libtorch intra-op threads (0 = one per core). Env: TRAINSTREAM_THREADS. Default: ${DEFAULT-VALUE}")
    int threads;

    @Option(names = "--device", paramLabel = "auto|cpu|gpu[:ids]",
        defaultValue = "${env:TRAINSTREAM_DEVICE:-" + Defaults.DEVICE + "}",
        description = "Devices: auto = all GPUs when present, else CPU. Env: TRAINSTREAM_DEVICE. Default: ${DEFAULT-VALUE}")
    String device;

    @Option(names = "--prefetch", paramLabel = "N", defaultValue = Defaults.PREFETCH,
        description = "Batches fetched and prepared ahead of the step. Default: ${DEFAULT-VALUE}")
    int prefetch;

    @Option(names = "--shard-cache-mb", paramLabel = "MB", defaultValue = Defaults.SHARD_CACHE_MB,
        description = "Decoded shard cache size. Default: ${DEFAULT-VALUE}")
    long shardCacheMb;

    /** @param grace how long a SIGTERM waits for the step and its checkpoint ({@link ConnectionOptions#grace()}) */
    TrainerConfig toConfig(String kafkaBootstrap, short replication, S3Settings s3, Duration grace) {
        String id = runId == null || runId.isBlank()
            ? "run-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
            : runId;
        int engineThreads = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        return new TrainerConfig(id, widthMultiplier, activation, dropout, optimizer, learningRate, weightDecay,
            labelSmoothing, epochs, seed, datasetId, metricsEverySteps, checkpointEverySteps,
            Duration.ofMillis(Math.round(checkpointEveryMinutes * 60_000)), keepCheckpoints,
            engineThreads, DeviceChoice.parse(device), prefetch, shardCacheMb * 1024 * 1024,
            grace, kafkaBootstrap, replication, s3);
    }
}
