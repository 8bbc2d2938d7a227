package dev.trainstream.trainer;

import dev.trainstream.ops.config.Setting;
import java.util.List;

/** Every setting of a trainer run with its default, declared once ({@link TrainerConfig.Builder} starts from these). */
public final class TrainerSettings {
    public static final Setting RUN_ID = Setting.env("run-id", "TRAINSTREAM_RUN_ID", null,
        "Run id: its checkpoints, consumer group and events. Reuse it to resume.").noting("generated run-<time>");
    public static final Setting WIDTH_MULTIPLIER = Setting.env("width-multiplier", "TRAINSTREAM_WIDTH_MULTIPLIER", "1.0",
        "MobileNetV1 width multiplier, in (0, 4].");
    public static final Setting ACTIVATION = Setting.flag("activation", "RELU", "Activation (RELU = the paper, or RELU6).");
    public static final Setting DROPOUT = Setting.flag("dropout", "0", "Dropout before the classifier.");
    public static final Setting OPTIMIZER = Setting.env("optimizer", "TRAINSTREAM_OPTIMIZER", "SGD",
        "SGD (momentum 0.9, Nesterov) or ADAMW.");
    public static final Setting LEARNING_RATE = Setting.env("learning-rate", "TRAINSTREAM_LEARNING_RATE", null,
        "Peak learning rate.").noting("SGD 0.1 x batch/128, AdamW 1e-3");
    public static final Setting WEIGHT_DECAY = Setting.env("weight-decay", "TRAINSTREAM_WEIGHT_DECAY", null,
        "Weight decay on conv/linear weights.").noting("SGD 5e-4, AdamW 0.05");
    public static final Setting LABEL_SMOOTHING = Setting.flag("label-smoothing", "0", "Label smoothing.");
    /** The reference recipe: 10 epochs. */
    public static final Setting EPOCHS = Setting.env("train-epochs", "TRAINSTREAM_EPOCHS", "10",
        "Epochs to train before finishing.");
    public static final Setting SEED = Setting.env("train-seed", "TRAINSTREAM_SEED", "42",
        "Seed of initialisation and augmentation.");
    public static final Setting AUGMENTATION = Setting.env("augmentation", "TRAINSTREAM_AUGMENTATION", "crop+flip",
        "Training image augmentation: none, crop (random crop after 4 pixels of zero padding) or crop+flip (and a "
            + "random left-right flip; the CIFAR recipe).");
    public static final Setting DATASET_ID = Setting.flag("dataset-id", null, "Train only on this dataset.")
        .noting("the first dataset seen");
    public static final Setting METRICS_EVERY_STEPS = Setting.env("metrics-every-steps",
        "TRAINSTREAM_METRICS_EVERY_STEPS", "20", "Metric event cadence in steps.");
    public static final Setting CHECKPOINT_EVERY_STEPS = Setting.env("checkpoint-every-steps",
        "TRAINSTREAM_CHECKPOINT_EVERY_STEPS", "0", "Checkpoint cadence in steps (0 = epoch ends only).");
    public static final Setting CHECKPOINT_EVERY_MINUTES = Setting.flag("checkpoint-every-minutes", "0",
        "Also checkpoint when this many minutes passed since the last checkpoint (0 = off).");
    public static final Setting KEEP_CHECKPOINTS = Setting.flag("keep-checkpoints", "3",
        "Newest checkpoints kept (plus the best).");
    public static final Setting EVAL_HOLD_MINUTES = Setting.flag("eval-hold-minutes", "60",
        "Also keep checkpoints newer than the last evaluated one and not yet scored, for this many minutes after "
            + "they were written, so a slow or late evaluator still finds them (0 = keep only the newest and best).");
    public static final Setting THREADS = Setting.env("threads", "TRAINSTREAM_THREADS", "0",
        "libtorch intra-op threads (0 = one per core).");
    public static final Setting DEVICE = Setting.env("device", "TRAINSTREAM_DEVICE", "auto",
        "Devices: auto = all GPUs when present, else CPU; cpu; gpu:<ids>, e.g. gpu:0,1.");
    public static final Setting PREFETCH = Setting.flag("prefetch", "8", "Batches fetched and prepared ahead of the step.");
    public static final Setting SHARD_CACHE_MB = Setting.flag("shard-cache-mb", "1024", "Decoded shard cache size (MB).");

    /** In the order --help and the README list them. */
    public static final List<Setting> ALL = List.of(RUN_ID, WIDTH_MULTIPLIER, ACTIVATION, DROPOUT, OPTIMIZER,
        LEARNING_RATE, WEIGHT_DECAY, LABEL_SMOOTHING, EPOCHS, SEED, AUGMENTATION, DATASET_ID, METRICS_EVERY_STEPS,
        CHECKPOINT_EVERY_STEPS, CHECKPOINT_EVERY_MINUTES, KEEP_CHECKPOINTS, EVAL_HOLD_MINUTES, THREADS, DEVICE, PREFETCH, SHARD_CACHE_MB);

    private TrainerSettings() {
    }
}
