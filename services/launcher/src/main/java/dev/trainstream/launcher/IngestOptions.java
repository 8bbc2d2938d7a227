package dev.trainstream.launcher;

import dev.trainstream.ingest.IngestConfig;
import dev.trainstream.storage.S3Settings;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The ingest service's options (shared by {@code ingest} and {@code up}). */
final class IngestOptions {
    @Option(names = "--dataset", paramLabel = "PATH|URL",
        defaultValue = "${env:TRAINSTREAM_DATASET:-" + Defaults.DATASET + "}",
        description = "CIFAR-10 binary (.tar.gz or folder), an ImageFolder tree (train/<class>/*.png|jpg, test/...; folder "
            + "or .tar.gz), or the official CIFAR-10 URL (downloaded once, MD5-verified, cached). "
            + "Env: TRAINSTREAM_DATASET. Default: ${DEFAULT-VALUE}")
    String dataset;

    @Option(names = "--synthetic", defaultValue = "${env:TRAINSTREAM_SYNTHETIC:-false}",
        description = "Generate a learnable CIFAR-10-shaped dataset instead (offline). Env: TRAINSTREAM_SYNTHETIC")
    boolean synthetic;

    @Option(names = "--synthetic-train", paramLabel = "N", defaultValue = "5000",
        description = "Synthetic training images. Default: ${DEFAULT-VALUE}")
    int syntheticTrain;

    @Option(names = "--synthetic-test", paramLabel = "N", defaultValue = "1000",
        description = "Synthetic test images. Default: ${DEFAULT-VALUE}")
    int syntheticTest;

    @Option(names = "--cache-dir", paramLabel = "DIR",
        defaultValue = "${env:TRAINSTREAM_CACHE_DIR:-" + Defaults.CACHE_DIR + "}",
        description = "Download cache. Env: TRAINSTREAM_CACHE_DIR. Default: ${DEFAULT-VALUE}")
    Path cacheDir;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "${env:TRAINSTREAM_EPOCHS:-" + Defaults.EPOCHS + "}",
        description = "Epochs of batch references this run publishes, numbered after those of the dataset already on the "
            + "batches topic (re-ingesting the same content adds epochs, it never repeats epoch numbers). "
            + "Env: TRAINSTREAM_EPOCHS. Default: ${DEFAULT-VALUE}")
    int epochs;

    @Option(names = "--batch-size", paramLabel = "N",
        defaultValue = "${env:TRAINSTREAM_BATCH_SIZE:-" + Defaults.BATCH_SIZE + "}",
        description = "Images per batch reference. Env: TRAINSTREAM_BATCH_SIZE. Default: ${DEFAULT-VALUE}")
    int batchSize;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "${env:TRAINSTREAM_SEED:-" + Defaults.SEED + "}",
        description = "Seed of the per-epoch shuffles (and of synthetic data). Env: TRAINSTREAM_SEED. Default: ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--records-per-shard", paramLabel = "N", defaultValue = Defaults.RECORDS_PER_SHARD,
        description = "Images per S3 shard. Default: ${DEFAULT-VALUE}")
    int recordsPerShard;

    @Option(names = "--parallel-uploads", paramLabel = "N", defaultValue = Defaults.PARALLEL_UPLOADS,
        description = "Concurrent shard uploads. Default: ${DEFAULT-VALUE}")
    int parallelUploads;

    @Option(names = "--max-epochs-ahead", paramLabel = "K",
        defaultValue = "${env:TRAINSTREAM_MAX_EPOCHS_AHEAD:-" + Defaults.MAX_EPOCHS_AHEAD + "}",
        description = "Backpressure: publish epoch e only after every trainer consumer group (--trainer-group-prefix) "
            + "has committed past epoch e-K; with no trainer yet, K epochs go out and ingest waits. 0 = unbounded "
            + "(batch references are a few KB each and the topic's retention bounds them). "
            + "Env: TRAINSTREAM_MAX_EPOCHS_AHEAD. Default: ${DEFAULT-VALUE}")
    int maxEpochsAhead;

    @Option(names = "--trainer-group-prefix", paramLabel = "PREFIX", defaultValue = Defaults.TRAINER_GROUP_PREFIX,
        description = "Consumer groups counted as trainers by --max-epochs-ahead (each trainer run's group is "
            + "trainstream-trainer-<run id>; narrow it to follow chosen runs). Default: ${DEFAULT-VALUE}")
    String trainerGroupPrefix;

    @Option(names = "--trainer-stale-after-minutes", paramLabel = "M",
        defaultValue = "${env:TRAINSTREAM_TRAINER_STALE_AFTER_MINUTES:-" + Defaults.TRAINER_STALE_AFTER_MINUTES + "}",
        description = "Backpressure ignores a trainer group whose last commit is older than this: an abandoned run "
            + "(trainers stamp every checkpoint commit with its time). Keep it above the longest time between a live "
            + "trainer's checkpoints. 0 = every group counts however old. "
            + "Env: TRAINSTREAM_TRAINER_STALE_AFTER_MINUTES. Default: ${DEFAULT-VALUE}")
    double trainerStaleAfterMinutes;

    @Option(names = "--reject-other-sizes", description = "Reject ImageFolder images that are not 32x32 instead of "
        + "resizing them (bilinear).")
    boolean rejectOtherSizes;

    IngestConfig toConfig(String kafkaBootstrap, short replication, S3Settings s3) {
        return toConfig(kafkaBootstrap, replication, s3, null, false);
    }

    /**
     * @param storedDatasetId a dataset already in S3 to publish more epochs of, instead of reading a source; null = read
     * @param datasetGiven    whether --dataset was given explicitly (an error together with a stored dataset id)
     */
    IngestConfig toConfig(String kafkaBootstrap, short replication, S3Settings s3, String storedDatasetId,
                          boolean datasetGiven) {
        return new IngestConfig(location(storedDatasetId, datasetGiven), cacheDir, epochs, batchSize, seed, recordsPerShard, parallelUploads,
            rejectOtherSizes, kafkaBootstrap, replication, s3, new IngestConfig.Backpressure(maxEpochsAhead,
                trainerGroupPrefix, IngestConfig.Backpressure.POLL_INTERVAL, staleAfter()));
    }

    private Duration staleAfter() {
        if (!(trainerStaleAfterMinutes >= 0) || Double.isInfinite(trainerStaleAfterMinutes)) {
            throw new IllegalArgumentException("--trainer-stale-after-minutes must be a number >= 0 (0 = never stale), "
                + "was " + trainerStaleAfterMinutes);
        }
        return Duration.ofMillis(Math.round(trainerStaleAfterMinutes * 60_000));
    }

    private IngestConfig.DatasetLocation location(String datasetId, boolean datasetGiven) {
        if (datasetId != null) {
            if (synthetic || datasetGiven) {
                throw new IllegalArgumentException("--dataset-id " + datasetId + " continues a dataset already in S3; "
                    + "it cannot be combined with " + (synthetic ? "--synthetic" : "--dataset"));
            }
            return new IngestConfig.DatasetLocation.Stored(datasetId);
        }
        return synthetic
            ? new IngestConfig.DatasetLocation.Synthetic(syntheticTrain, syntheticTest)
            : IngestConfig.DatasetLocation.parse(dataset);
    }
}
