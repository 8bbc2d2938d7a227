package dev.trainstream.trainer;

import dev.trainstream.engine.model.Activation;
import dev.trainstream.engine.training.DeviceChoice;
import dev.trainstream.engine.training.OptimizerKind;
import dev.trainstream.storage.S3Settings;
import java.time.Duration;

/**
 * A trainer run's fixed configuration: identity, model and optimizer options, cadence of metrics and checkpoints,
 * resources, and where Kafka and S3 are. Validated here so a bad flag fails at start-up naming the setting.
 *
 * @param learningRate NaN = the engine's batch-scaled default for the optimizer
 * @param weightDecay NaN = the engine's default for the optimizer
 * @param datasetId train only on this dataset's batches; null = the first dataset seen on the topic
 * @param checkpointEverySteps 0 = only at epoch ends and at the end of the run
 * @param checkpointInterval also checkpoint when this much time passed since the last one; zero = off
 */
public record TrainerConfig(String runId, double widthMultiplier, Activation activation, double dropout,
                            OptimizerKind optimizer, double learningRate, double weightDecay, double labelSmoothing,
                            int epochs, long seed, String datasetId, int metricsEverySteps, int checkpointEverySteps,
                            Duration checkpointInterval, int keepCheckpoints, int threads, DeviceChoice device,
                            int prefetch, long shardCacheBytes, Duration gracePeriod, String kafkaBootstrap,
                            short topicReplication, S3Settings s3) {
    public TrainerConfig {
        if (runId == null || !runId.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
            throw new IllegalArgumentException("run id must be 1-100 chars of letters, digits, '.', '_' or '-', was "
                + runId);
        }
        if (!(widthMultiplier > 0 && widthMultiplier <= 4)) {
            throw new IllegalArgumentException("width multiplier must be in (0, 4], was " + widthMultiplier);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, was " + epochs);
        }
        if (metricsEverySteps < 1) {
            throw new IllegalArgumentException("metrics every steps must be >= 1, was " + metricsEverySteps);
        }
        if (checkpointEverySteps < 0) {
            throw new IllegalArgumentException("checkpoint every steps must be >= 0, was " + checkpointEverySteps);
        }
        if (checkpointInterval == null || checkpointInterval.isNegative()) {
            throw new IllegalArgumentException("checkpoint interval must be zero (off) or positive, was "
                + checkpointInterval);
        }
        if (keepCheckpoints < 1) {
            throw new IllegalArgumentException("keep checkpoints must be >= 1, was " + keepCheckpoints);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        }
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be >= 1, was " + prefetch);
        }
        if (shardCacheBytes < 1) {
            throw new IllegalArgumentException("shard cache bytes must be >= 1, was " + shardCacheBytes);
        }
        if (kafkaBootstrap == null || kafkaBootstrap.isBlank()) {
            throw new IllegalArgumentException("kafka bootstrap must be set");
        }
        if (s3 == null || device == null || activation == null || optimizer == null || gracePeriod == null) {
            throw new IllegalArgumentException("s3, device, activation, optimizer and grace period must be set");
        }
        if (gracePeriod.isNegative() || gracePeriod.isZero()) {
            throw new IllegalArgumentException("grace period must be positive, was " + gracePeriod);
        }
    }

    /** The consumer group of this run: its own, so several runs (a sweep) read the same batches independently. */
    public String consumerGroup() {
        return "trainstream-trainer-" + runId;
    }
}
