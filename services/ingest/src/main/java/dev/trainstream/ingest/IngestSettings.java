package dev.trainstream.ingest;

import dev.trainstream.ops.config.Setting;
import java.util.List;

/** Every setting of an ingest run with its default, declared once. */
public final class IngestSettings {
    /** The official CIFAR-10 binary archive. */
    public static final Setting DATASET = Setting.env("dataset", "TRAINSTREAM_DATASET",
        "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz",
        "CIFAR-10 binary (.tar.gz or folder), an ImageFolder tree (train/<class>/*.png|jpg, test/...; folder or "
            + ".tar.gz), or the official CIFAR-10 URL (downloaded once, MD5-verified, cached).")
        .noting("official CIFAR-10 binary URL");
    public static final Setting DATASET_ID = Setting.flag("dataset-id", null,
        "Publish --epochs more epochs of a dataset already in S3 (datasets/<ID>/manifest.json), continuing its epoch "
            + "numbering; reads no source data (not with --dataset or --synthetic).");
    public static final Setting SYNTHETIC = Setting.env("synthetic", "TRAINSTREAM_SYNTHETIC", "false",
        "Generate a learnable CIFAR-10-shaped dataset instead (offline).");
    public static final Setting SYNTHETIC_TRAIN = Setting.flag("synthetic-train", "5000", "Synthetic training images.");
    public static final Setting SYNTHETIC_TEST = Setting.flag("synthetic-test", "1000", "Synthetic test images.");
    public static final Setting CACHE_DIR = Setting.env("cache-dir", "TRAINSTREAM_CACHE_DIR",
        "${sys:user.home}/.cache/trainstream", "Download cache.").noting("~/.cache/trainstream");
    /** The reference recipe: 10 epochs of batch 128. */
    public static final Setting EPOCHS = Setting.env("epochs", "TRAINSTREAM_EPOCHS", "10",
        "Epochs of batch references this run publishes, numbered after those of the dataset already on the batches "
            + "topic (re-ingesting the same content adds epochs, it never repeats epoch numbers).");
    public static final Setting BATCH_SIZE = Setting.env("batch-size", "TRAINSTREAM_BATCH_SIZE", "128",
        "Images per batch reference (at most " + IngestConfig.MAX_BATCH_SIZE + ").");
    public static final Setting SEED = Setting.env("seed", "TRAINSTREAM_SEED", "42",
        "Seed of the per-epoch shuffles (and of synthetic data).");
    /** Shards of 2,500 CIFAR images are ~7.7 MB: big enough for efficient PUTs, small enough to cache. */
    public static final Setting RECORDS_PER_SHARD = Setting.flag("records-per-shard", "2500", "Images per S3 shard.");
    public static final Setting PARALLEL_UPLOADS = Setting.flag("parallel-uploads", "4", "Concurrent shard uploads.");
    /**
     * 0 = unbounded: an epoch of CIFAR-10 is ~400 batch references of a few KB (~1 MB), and the batches topic's
     * retention (a week) bounds the backlog.
     */
    public static final Setting MAX_EPOCHS_AHEAD = Setting.env("max-epochs-ahead", "TRAINSTREAM_MAX_EPOCHS_AHEAD", "0",
        "Backpressure: publish epoch e only after every trainer consumer group (--trainer-group-prefix) has committed "
            + "past epoch e-K; with no trainer yet, K epochs go out and ingest waits. 0 = unbounded (batch references "
            + "are a few KB each and the topic's retention bounds them).");
    /** Every trainer run's consumer group is trainstream-trainer-&lt;run id&gt;. */
    public static final Setting TRAINER_GROUP_PREFIX = Setting.flag("trainer-group-prefix", "trainstream-trainer-",
        "Consumer groups counted as trainers by --max-epochs-ahead (each trainer run's group is "
            + "trainstream-trainer-<run id>; narrow it to follow chosen runs).");
    /** An hour without a checkpoint commit is an abandoned run. */
    public static final Setting TRAINER_STALE_AFTER_MINUTES = Setting.env("trainer-stale-after-minutes",
        "TRAINSTREAM_TRAINER_STALE_AFTER_MINUTES", "60",
        "Backpressure ignores a trainer group whose last commit is older than this: an abandoned run (trainers stamp "
            + "every checkpoint commit with its time). Keep it above the longest time between a live trainer's "
            + "checkpoints. 0 = every group counts however old.");
    public static final Setting REJECT_OTHER_SIZES = Setting.flag("reject-other-sizes", "false",
        "Reject ImageFolder images that are not 32x32 instead of resizing them (bilinear).");

    /** Over three times CIFAR-100's train.bin (150 MB), the largest file of a supported layout. */
    public static final Setting MAX_FILE_MIB = Setting.flag("max-file-mib", "512",
        "Largest dataset file (a record file, an image, a tar entry), refused by its size before it is read.");
    /** A 24 MP camera photo fits; each decoding thread holds ~3 bytes per pixel. */
    public static final Setting MAX_IMAGE_MEGAPIXELS = Setting.flag("max-image-megapixels", "40",
        "Largest ImageFolder image, refused by the size its header claims before it is decoded.");

    /** In the order --help and the README list them ({@link #DATASET_ID} is the ingest command's alone, not up's). */
    public static final List<Setting> ALL = List.of(DATASET, SYNTHETIC, SYNTHETIC_TRAIN, SYNTHETIC_TEST,
        CACHE_DIR, EPOCHS, BATCH_SIZE, SEED, RECORDS_PER_SHARD, PARALLEL_UPLOADS, MAX_EPOCHS_AHEAD, TRAINER_GROUP_PREFIX,
        TRAINER_STALE_AFTER_MINUTES, REJECT_OTHER_SIZES, MAX_FILE_MIB, MAX_IMAGE_MEGAPIXELS);

    private IngestSettings() {
    }
}
