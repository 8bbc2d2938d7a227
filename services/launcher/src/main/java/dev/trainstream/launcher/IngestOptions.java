package dev.trainstream.launcher;

import dev.trainstream.ingest.IngestSettings;
import dev.trainstream.ops.config.Setting;
import java.util.List;
import dev.trainstream.ingest.IngestConfig;
import dev.trainstream.ingest.source.ReadLimits;
import dev.trainstream.storage.S3Settings;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The ingest service's options (shared by {@code ingest} and {@code up}). */
final class IngestOptions implements SettingsBacked {
    @Option(names = "--dataset", paramLabel = "PATH|URL")
    String dataset;

    @Option(names = "--synthetic")
    boolean synthetic;

    @Option(names = "--synthetic-train", paramLabel = "N")
    int syntheticTrain;

    @Option(names = "--synthetic-test", paramLabel = "N")
    int syntheticTest;

    @Option(names = "--cache-dir", paramLabel = "DIR")
    Path cacheDir;

    @Option(names = "--epochs", paramLabel = "N")
    int epochs;

    @Option(names = "--batch-size", paramLabel = "N")
    int batchSize;

    @Option(names = "--seed", paramLabel = "N")
    long seed;

    @Option(names = "--records-per-shard", paramLabel = "N")
    int recordsPerShard;

    @Option(names = "--parallel-uploads", paramLabel = "N")
    int parallelUploads;

    @Option(names = "--max-epochs-ahead", paramLabel = "K")
    int maxEpochsAhead;

    @Option(names = "--trainer-group-prefix", paramLabel = "PREFIX")
    String trainerGroupPrefix;

    @Option(names = "--trainer-stale-after-minutes", paramLabel = "M")
    double trainerStaleAfterMinutes;

    @Option(names = "--reject-other-sizes")
    boolean rejectOtherSizes;

    @Option(names = "--max-file-mib", paramLabel = "MIB")
    long maxFileMib;

    @Option(names = "--max-image-megapixels", paramLabel = "MP")
    long maxImageMegapixels;

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
                trainerGroupPrefix, IngestConfig.Backpressure.POLL_INTERVAL, staleAfter()),
            ReadLimits.of(maxFileMib, maxImageMegapixels));
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

    @Override
    public List<Setting> settings() {
        return IngestSettings.ALL;
    }
}
