package dev.trainstream.launcher;

import dev.trainstream.engine.data.Augmentation;
import dev.trainstream.engine.model.Activation;
import dev.trainstream.engine.training.DeviceChoice;
import dev.trainstream.engine.training.OptimizerKind;
import dev.trainstream.ops.config.Setting;
import dev.trainstream.storage.S3Settings;
import dev.trainstream.trainer.TrainerConfig;
import dev.trainstream.trainer.TrainerSettings;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.OptionalDouble;
import picocli.CommandLine.Option;

/** The trainer service's options (shared by {@code trainer} and {@code up}); defaults and help from {@link TrainerSettings}. */
final class TrainerOptions implements SettingsBacked {
    @Option(names = "--run-id", paramLabel = "ID")
    String runId;

    @Option(names = "--width-multiplier", paramLabel = "ALPHA")
    double widthMultiplier;

    @Option(names = "--activation", paramLabel = "RELU|RELU6")
    Activation activation;

    @Option(names = "--dropout", paramLabel = "P")
    double dropout;

    @Option(names = "--optimizer", paramLabel = "SGD|ADAMW")
    OptimizerKind optimizer;

    @Option(names = "--learning-rate", paramLabel = "LR")
    Double learningRate;

    @Option(names = "--weight-decay", paramLabel = "WD")
    Double weightDecay;

    @Option(names = "--label-smoothing", paramLabel = "E")
    double labelSmoothing;

    @Option(names = "--train-epochs", paramLabel = "N")
    int epochs;

    @Option(names = "--train-seed", paramLabel = "N")
    long seed;

    @Option(names = "--augmentation", paramLabel = "none|crop|crop+flip")
    String augmentation;

    @Option(names = "--dataset-id", paramLabel = "ID")
    String datasetId;

    @Option(names = "--metrics-every-steps", paramLabel = "N")
    int metricsEverySteps;

    @Option(names = "--checkpoint-every-steps", paramLabel = "N")
    int checkpointEverySteps;

    @Option(names = "--checkpoint-every-minutes", paramLabel = "M")
    double checkpointEveryMinutes;

    @Option(names = "--keep-checkpoints", paramLabel = "K")
    int keepCheckpoints;

    @Option(names = "--eval-hold-minutes", paramLabel = "M")
    double evalHoldMinutes;

    @Option(names = "--threads", paramLabel = "N")
    int threads;

    @Option(names = "--device", paramLabel = "auto|cpu|gpu[:ids]")
    String device;

    @Option(names = "--prefetch", paramLabel = "N")
    int prefetch;

    @Option(names = "--shard-cache-mb", paramLabel = "MB")
    long shardCacheMb;

    @Override
    public List<Setting> settings() {
        return TrainerSettings.ALL;
    }

    /** @param grace how long a SIGTERM waits for the step and its checkpoint ({@link ConnectionOptions#grace()}) */
    TrainerConfig toConfig(String kafkaBootstrap, short replication, S3Settings s3, Duration grace) {
        String id = runId == null || runId.isBlank()
            ? "run-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
            : runId;
        return TrainerConfig.builder(id, kafkaBootstrap, s3).widthMultiplier(widthMultiplier).activation(activation)
            .dropout(dropout).optimizer(optimizer).learningRate(optional(learningRate)).weightDecay(optional(weightDecay))
            .labelSmoothing(labelSmoothing).epochs(epochs).seed(seed).augmentation(augmentation())
            .datasetId(datasetId)
            .metricsEverySteps(metricsEverySteps).checkpointEverySteps(checkpointEverySteps)
            .checkpointInterval(Duration.ofMillis(Math.round(checkpointEveryMinutes * 60_000)))
            .keepCheckpoints(keepCheckpoints)
            .evaluationHold(Duration.ofMillis(Math.round(evalHoldMinutes * 60_000))).threads(threads)
            .device(DeviceChoice.parse(device)).prefetch(prefetch)
            .shardCacheBytes(shardCacheMb * 1024 * 1024).gracePeriod(grace).topicReplication(replication).build();
    }

    private Augmentation augmentation() {
        try {
            return Augmentation.parse(augmentation);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(TrainerSettings.AUGMENTATION.flag() + " ("
                + TrainerSettings.AUGMENTATION.env() + "): " + e.getMessage(), e);
        }
    }

    private static OptionalDouble optional(Double value) {
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }
}
