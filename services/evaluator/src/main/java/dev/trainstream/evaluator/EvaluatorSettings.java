package dev.trainstream.evaluator;

import dev.trainstream.ops.config.Setting;
import java.util.List;

/** Every setting of an evaluator with its default, declared once. */
public final class EvaluatorSettings {
    public static final Setting BATCH_SIZE = Setting.env("eval-batch-size", "TRAINSTREAM_EVAL_BATCH_SIZE", "256",
        "Images per inference batch.");
    /** Shares the trainer's variable: a container runs one service, so one thread setting per container. */
    public static final Setting THREADS = Setting.env("eval-threads", "TRAINSTREAM_THREADS", "0",
        "libtorch threads (0 = one per core).");
    public static final Setting DEVICE = Setting.env("eval-device", "TRAINSTREAM_DEVICE", "auto",
        "Devices for inference: auto = all GPUs when present, else CPU; cpu; gpu:<ids>, e.g. gpu:0,1.");
    public static final Setting GATE_MIN_ACCURACY = Setting.env("gate-min-accuracy", "TRAINSTREAM_GATE_MIN_ACCURACY",
        "0.0", "Promotion floor: test accuracy must be at least this.");
    public static final Setting GATE_MIN_IMPROVEMENT = Setting.env("gate-min-improvement",
        "TRAINSTREAM_GATE_MIN_IMPROVEMENT", "0.0",
        "Promotion: must beat the run's best by at least this (0 = strictly better).");
    public static final Setting TEST_TIME_AUGMENTATION = Setting.env("eval-tta", "TRAINSTREAM_EVAL_TTA", "none",
        "Test-time augmentation: none scores each image as it is; hflip averages the class probabilities of the image "
            + "and its mirror (twice the inference work; +0.8 to +1.1 points on CIFAR-10 in docs/BENCHMARKS.md). "
            + "Evaluation events and the best pointer record it.");
    public static final Setting GROUP = Setting.flag("evaluator-group", "trainstream-evaluator",
        "Consumer group; instances in one group share the checkpoints.");
    public static final Setting CATCH_UP_NEWEST_ONLY_WHEN_BEHIND = Setting.env("catch-up-newest-only-when-behind",
        "TRAINSTREAM_CATCH_UP_NEWEST_ONLY_WHEN_BEHIND", "0",
        "Catch-up after downtime: when more than N checkpoint events are waiting, score only the newest checkpoint of "
            + "each run in the backlog (the older ones are logged and skipped, never scored). 0 = off: every "
            + "checkpoint is scored, in order.");

    /** In the order --help and the README list them. */
    public static final List<Setting> ALL = List.of(BATCH_SIZE, THREADS, DEVICE, GATE_MIN_ACCURACY,
        GATE_MIN_IMPROVEMENT, TEST_TIME_AUGMENTATION, GROUP, CATCH_UP_NEWEST_ONLY_WHEN_BEHIND);

    private EvaluatorSettings() {
    }
}
