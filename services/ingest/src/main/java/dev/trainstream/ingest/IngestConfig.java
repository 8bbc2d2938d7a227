package dev.trainstream.ingest;

import dev.trainstream.storage.S3Settings;
import java.net.URI;
import java.nio.file.Path;

/**
 * Everything one ingest run needs, validated on build: where the data comes from, how it is sharded and batched, and
 * where Kafka and S3 are. Defaults live in the builder, with the reason for each.
 */
public record IngestConfig(DatasetLocation dataset, Path cacheDir, int epochs, int batchSize, long seed,
                           int recordsPerShard, int parallelUploads, boolean rejectOtherSizes,
                           String kafkaBootstrap, short topicReplication, S3Settings s3) {

    /** The official CIFAR-10 binary archive and its published MD5. */
    public static final URI CIFAR10_URL = URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz");
    public static final String CIFAR10_MD5 = "c32a1d4ab5d03f1284b67883e8d87530";

    public IngestConfig {
        if (dataset == null) {
            throw new IllegalArgumentException("dataset must be set");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, was " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, was " + batchSize);
        }
        if (recordsPerShard < 1) {
            throw new IllegalArgumentException("records per shard must be >= 1, was " + recordsPerShard);
        }
        if (parallelUploads < 1) {
            throw new IllegalArgumentException("parallel uploads must be >= 1, was " + parallelUploads);
        }
        if (kafkaBootstrap == null || kafkaBootstrap.isBlank()) {
            throw new IllegalArgumentException("kafka bootstrap must be set");
        }
        if (topicReplication < 1) {
            throw new IllegalArgumentException("topic replication must be >= 1, was " + topicReplication);
        }
        if (s3 == null) {
            throw new IllegalArgumentException("s3 settings must be set");
        }
    }

    /** What to ingest: the CIFAR-10 download, a local path (CIFAR-10 binary or ImageFolder), or synthetic data. */
    public sealed interface DatasetLocation {
        /** Download (cached) from a URL with a known MD5. */
        record Download(URI url, String md5) implements DatasetLocation {
        }

        /** A folder or .tar.gz on disk; the format is detected from its content. */
        record Local(Path path) implements DatasetLocation {
        }

        /** The learnable synthetic generator. */
        record Synthetic(int trainRecords, int testRecords) implements DatasetLocation {
            public Synthetic {
                if (trainRecords < 1 || testRecords < 1) {
                    throw new IllegalArgumentException("synthetic sizes must be >= 1");
                }
            }
        }

        /** Parses the {@code --dataset} value: an http(s) URL (the CIFAR-10 MD5 applies to the official URL) or a path. */
        static DatasetLocation parse(String value) {
            if (value.startsWith("http://") || value.startsWith("https://")) {
                URI uri = URI.create(value);
                return new Download(uri, uri.equals(CIFAR10_URL) ? CIFAR10_MD5 : null);
            }
            return new Local(Path.of(value));
        }
    }
}
