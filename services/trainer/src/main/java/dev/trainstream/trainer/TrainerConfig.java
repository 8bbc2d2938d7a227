package dev.trainstream.trainer;

import dev.trainstream.engine.data.Augmentation;
import dev.trainstream.engine.model.Activation;
import dev.trainstream.engine.training.DeviceChoice;
import dev.trainstream.engine.training.OptimizerKind;
import dev.trainstream.ops.config.ConnectionSettings;
import dev.trainstream.storage.S3Settings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A trainer run's fixed configuration: identity, model and optimizer options, cadence of metrics and checkpoints,
 * resources, and where Kafka and S3 are. Validated here so a bad flag fails at start-up naming the setting. Build it
 * with {@link #builder}, whose defaults are {@link TrainerSettings}'.
 *
 * @param learningRate empty = the engine's batch-scaled default for the optimizer
 * @param weightDecay empty = the engine's default for the optimizer
 * @param datasetId train only on this dataset's batches; null = the first dataset seen on the topic
 * @param checkpointEverySteps 0 = only at epoch ends and at the end of the run
 * @param checkpointInterval also checkpoint when this much time passed since the last one; zero = off
 * @param evaluationHold how long retention holds a checkpoint an evaluator has not scored yet; zero = not at all
 * <p>Over our usual ~250 lines on purpose: every trainer setting with its validation and its derived values in one
 * record, so a run's configuration is checked once and read from one place.
 */
public record TrainerConfig(String runId, double widthMultiplier, Activation activation, double dropout,
                            OptimizerKind optimizer, OptionalDouble learningRate, OptionalDouble weightDecay,
                            double labelSmoothing,
                            int epochs, long seed, Augmentation augmentation, String datasetId, int metricsEverySteps, int checkpointEverySteps,
                            Duration checkpointInterval, int keepCheckpoints, Duration evaluationHold, int threads, DeviceChoice device,
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
        if (evaluationHold == null || evaluationHold.isNegative()) {
            throw new IllegalArgumentException("evaluation hold must be zero (off) or positive, was " + evaluationHold);
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
        if (s3 == null || device == null || activation == null || optimizer == null || gracePeriod == null
            || learningRate == null || weightDecay == null || augmentation == null) {
            throw new IllegalArgumentException("s3, device, activation, optimizer, augmentation, grace period, "
                + "learning rate and weight decay (empty for the engine's default) must be set");
        }
        if (gracePeriod.isNegative() || gracePeriod.isZero()) {
            throw new IllegalArgumentException("grace period must be positive, was " + gracePeriod);
        }
    }

    /** The consumer group of this run: its own, so several runs (a sweep) read the same batches independently. */
    public String consumerGroup() {
        return "trainstream-trainer-" + runId;
    }

    /**
     * The run's training settings as {@link TrainerSettings} names them (flag name to value as the flag would take
     * it; absent ones omitted), for provenance: the same keys as --help and the README. Connection settings and
     * credentials are not part of a run's identity and are left out.
     */
    public Map<String, String> settingValues() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(TrainerSettings.RUN_ID.name(), runId);
        values.put(TrainerSettings.WIDTH_MULTIPLIER.name(), Double.toString(widthMultiplier));
        values.put(TrainerSettings.ACTIVATION.name(), activation.name());
        values.put(TrainerSettings.DROPOUT.name(), Double.toString(dropout));
        values.put(TrainerSettings.OPTIMIZER.name(), optimizer.name());
        learningRate.ifPresent(v -> values.put(TrainerSettings.LEARNING_RATE.name(), Double.toString(v)));
        weightDecay.ifPresent(v -> values.put(TrainerSettings.WEIGHT_DECAY.name(), Double.toString(v)));
        values.put(TrainerSettings.LABEL_SMOOTHING.name(), Double.toString(labelSmoothing));
        values.put(TrainerSettings.EPOCHS.name(), Integer.toString(epochs));
        values.put(TrainerSettings.SEED.name(), Long.toString(seed));
        values.put(TrainerSettings.AUGMENTATION.name(), augmentation.label());
        if (datasetId != null) {
            values.put(TrainerSettings.DATASET_ID.name(), datasetId);
        }
        values.put(TrainerSettings.METRICS_EVERY_STEPS.name(), Integer.toString(metricsEverySteps));
        values.put(TrainerSettings.CHECKPOINT_EVERY_STEPS.name(), Integer.toString(checkpointEverySteps));
        values.put(TrainerSettings.CHECKPOINT_EVERY_MINUTES.name(), Double.toString(checkpointInterval.toMillis()
            / 60_000.0));
        values.put(TrainerSettings.KEEP_CHECKPOINTS.name(), Integer.toString(keepCheckpoints));
        values.put(TrainerSettings.EVAL_HOLD_MINUTES.name(), Double.toString(evaluationHold.toMillis() / 60_000.0));
        values.put(TrainerSettings.THREADS.name(), Integer.toString(threads));
        values.put(TrainerSettings.DEVICE.name(), device.spelling());
        values.put(TrainerSettings.PREFETCH.name(), Integer.toString(prefetch));
        values.put(TrainerSettings.SHARD_CACHE_MB.name(), Long.toString(shardCacheBytes >> 20));
        return values;
    }

    /**
     * A configuration for {@code runId} against {@code kafkaBootstrap} and {@code s3}, every other setting at its
     * {@link TrainerSettings} default.
     */
    public static Builder builder(String runId, String kafkaBootstrap, S3Settings s3) {
        return new Builder(runId, kafkaBootstrap, s3);
    }

    /** Settings of a {@link TrainerConfig}, starting from the declared defaults; {@link #build()} validates. */
    public static final class Builder {
        private final String runId;
        private final String kafkaBootstrap;
        private final S3Settings s3;
        private double widthMultiplier = TrainerSettings.WIDTH_MULTIPLIER.defaultDouble();
        private Activation activation = Activation.valueOf(TrainerSettings.ACTIVATION.required());
        private double dropout = TrainerSettings.DROPOUT.defaultDouble();
        private OptimizerKind optimizer = OptimizerKind.valueOf(TrainerSettings.OPTIMIZER.required()
            .toUpperCase(Locale.ROOT));
        private OptionalDouble learningRate = OptionalDouble.empty();
        private OptionalDouble weightDecay = OptionalDouble.empty();
        private double labelSmoothing = TrainerSettings.LABEL_SMOOTHING.defaultDouble();
        private int epochs = TrainerSettings.EPOCHS.defaultInt();
        private long seed = TrainerSettings.SEED.defaultLong();
        private Augmentation augmentation = Augmentation.parse(TrainerSettings.AUGMENTATION.required());
        private String datasetId;
        private int metricsEverySteps = TrainerSettings.METRICS_EVERY_STEPS.defaultInt();
        private int checkpointEverySteps = TrainerSettings.CHECKPOINT_EVERY_STEPS.defaultInt();
        private Duration checkpointInterval = Duration.ofMillis(Math.round(
            TrainerSettings.CHECKPOINT_EVERY_MINUTES.defaultDouble() * 60_000));
        private int keepCheckpoints = TrainerSettings.KEEP_CHECKPOINTS.defaultInt();
        private Duration evaluationHold = Duration.ofMillis(Math.round(
            TrainerSettings.EVAL_HOLD_MINUTES.defaultDouble() * 60_000));
        private int threads = threadsFor(TrainerSettings.THREADS.defaultInt());
        private DeviceChoice device = DeviceChoice.parse(TrainerSettings.DEVICE.required());
        private int prefetch = TrainerSettings.PREFETCH.defaultInt();
        private long shardCacheBytes = TrainerSettings.SHARD_CACHE_MB.defaultLong() << 20;
        private Duration gracePeriod = Duration.ofSeconds(ConnectionSettings.GRACE_SECONDS.defaultLong());
        private short topicReplication = (short) ConnectionSettings.TOPIC_REPLICATION.defaultInt();

        private Builder(String runId, String kafkaBootstrap, S3Settings s3) {
            this.runId = runId;
            this.kafkaBootstrap = kafkaBootstrap;
            this.s3 = s3;
        }

        /** 0 = one libtorch thread per core, as {@link TrainerSettings#THREADS} says. */
        static int threadsFor(int setting) {
            return setting == 0 ? Runtime.getRuntime().availableProcessors() : setting;
        }

        public Builder widthMultiplier(double value) {
            this.widthMultiplier = value;
            return this;
        }

        public Builder activation(Activation value) {
            this.activation = value;
            return this;
        }

        public Builder dropout(double value) {
            this.dropout = value;
            return this;
        }

        public Builder optimizer(OptimizerKind value) {
            this.optimizer = value;
            return this;
        }

        /** Empty leaves the engine's default for the optimizer. */
        public Builder learningRate(OptionalDouble value) {
            this.learningRate = value;
            return this;
        }

        /** Empty leaves the engine's default for the optimizer. */
        public Builder weightDecay(OptionalDouble value) {
            this.weightDecay = value;
            return this;
        }

        public Builder labelSmoothing(double value) {
            this.labelSmoothing = value;
            return this;
        }

        public Builder epochs(int value) {
            this.epochs = value;
            return this;
        }

        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        public Builder augmentation(Augmentation value) {
            this.augmentation = value;
            return this;
        }

        /** Null trains on the first dataset seen on the topic. */
        public Builder datasetId(String value) {
            this.datasetId = value;
            return this;
        }

        public Builder metricsEverySteps(int value) {
            this.metricsEverySteps = value;
            return this;
        }

        public Builder checkpointEverySteps(int value) {
            this.checkpointEverySteps = value;
            return this;
        }

        public Builder checkpointInterval(Duration value) {
            this.checkpointInterval = value;
            return this;
        }

        public Builder keepCheckpoints(int value) {
            this.keepCheckpoints = value;
            return this;
        }

        public Builder evaluationHold(Duration value) {
            this.evaluationHold = value;
            return this;
        }

        /** Engine threads; 0 = one per core. */
        public Builder threads(int value) {
            this.threads = threadsFor(value);
            return this;
        }

        public Builder device(DeviceChoice value) {
            this.device = value;
            return this;
        }

        public Builder prefetch(int value) {
            this.prefetch = value;
            return this;
        }

        public Builder shardCacheBytes(long value) {
            this.shardCacheBytes = value;
            return this;
        }

        public Builder gracePeriod(Duration value) {
            this.gracePeriod = value;
            return this;
        }

        public Builder topicReplication(short value) {
            this.topicReplication = value;
            return this;
        }

        /** @throws IllegalArgumentException naming the first invalid setting */
        public TrainerConfig build() {
            return new TrainerConfig(runId, widthMultiplier, activation, dropout, optimizer, learningRate, weightDecay,
                labelSmoothing, epochs, seed, augmentation, datasetId, metricsEverySteps, checkpointEverySteps, checkpointInterval,
                keepCheckpoints, evaluationHold, threads, device, prefetch, shardCacheBytes, gracePeriod, kafkaBootstrap,
                topicReplication, s3);
        }
    }
}
