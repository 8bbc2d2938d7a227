package dev.trainstream.ingest;

import dev.trainstream.ingest.source.ReadLimits;
import dev.trainstream.storage.S3Settings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything one ingest run needs, validated on build: where the data comes from (or which stored dataset gets more
 * epochs), how it is sharded and batched, how far it may run ahead of the trainers, and where Kafka and S3 are.
 *
 * @param epochs     how many epochs this run publishes; numbering continues after the epochs already on the topic
 * @param readLimits how large a dataset file and an image may be before they are read
 */
public record IngestConfig(DatasetLocation dataset, Path cacheDir, int epochs, int batchSize, long seed,
                           int recordsPerShard, int parallelUploads, boolean rejectOtherSizes,
                           String kafkaBootstrap, short topicReplication, S3Settings s3, Backpressure backpressure,
                           ReadLimits readLimits) {
    /** The largest batch a batch reference may describe (schemas/batch-reference.v1.json, batchSize maximum). */
    public static final int MAX_BATCH_SIZE = 65_536;

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
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("batch size must be 1.." + MAX_BATCH_SIZE + " (the batch-reference "
                + "schema's bound), was " + batchSize);
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
        if (backpressure == null) {
            throw new IllegalArgumentException("backpressure must be set (Backpressure.unbounded() for none)");
        }
        if (readLimits == null) {
            throw new IllegalArgumentException("read limits must be set (ReadLimits.DEFAULT)");
        }
    }

    /** With the default read limits. */
    public IngestConfig(DatasetLocation dataset, Path cacheDir, int epochs, int batchSize, long seed,
                        int recordsPerShard, int parallelUploads, boolean rejectOtherSizes,
                        String kafkaBootstrap, short topicReplication, S3Settings s3, Backpressure backpressure) {
        this(dataset, cacheDir, epochs, batchSize, seed, recordsPerShard, parallelUploads, rejectOtherSizes,
            kafkaBootstrap, topicReplication, s3, backpressure, ReadLimits.DEFAULT);
    }

    /** A run without backpressure (the trainer tests, benchmarks and {@code up} publish every epoch at once). */
    public IngestConfig(DatasetLocation dataset, Path cacheDir, int epochs, int batchSize, long seed,
                        int recordsPerShard, int parallelUploads, boolean rejectOtherSizes,
                        String kafkaBootstrap, short topicReplication, S3Settings s3) {
        this(dataset, cacheDir, epochs, batchSize, seed, recordsPerShard, parallelUploads, rejectOtherSizes,
            kafkaBootstrap, topicReplication, s3, Backpressure.unbounded(), ReadLimits.DEFAULT);
    }

    /**
     * How far ingest may publish ahead of the slowest trainer: epoch {@code e} is published only once every consumer
     * group whose id starts with {@code trainerGroupPrefix} has committed an offset past the marker of epoch
     * {@code e - maxEpochsAhead} (no such group yet counts as a trainer at the beginning).
     *
     * @param maxEpochsAhead 0 = unbounded: batch references are a few KB each and the topic's retention bounds them
     * @param pollInterval   how often the trainers' committed offsets are read while waiting
     * @param staleAfter     a group whose newest stamped commit is older than this is an abandoned run and is not
     *                       waited for; must exceed the longest time between a live trainer's checkpoints (0 = every
     *                       group counts however old, the behaviour before commits were stamped)
     */
    public record Backpressure(int maxEpochsAhead, String trainerGroupPrefix, Duration pollInterval,
                               Duration staleAfter) {
        /** Every trainer run's consumer group is {@code trainstream-trainer-<run id>} (TrainerConfig.consumerGroup). */
        public static final String TRAINER_GROUP_PREFIX = "trainstream-trainer-";
        /** Often enough that a waiting ingest reacts within seconds, rarely enough to be no load on the coordinator. */
        public static final Duration POLL_INTERVAL = Duration.ofSeconds(2);
        /**
         * An hour without a commit: trainers commit at every checkpoint (each epoch end by default; a CIFAR-10 epoch
         * is minutes on a CPU), so a run that is behind and silent this long has stopped.
         */
        public static final Duration STALE_AFTER = Duration.ofHours(1);

        public Backpressure {
            if (maxEpochsAhead < 0) {
                throw new IllegalArgumentException("max epochs ahead must be >= 0 (0 = unbounded), was " + maxEpochsAhead);
            }
            if (trainerGroupPrefix == null || trainerGroupPrefix.isBlank()) {
                throw new IllegalArgumentException("trainer group prefix must be set");
            }
            if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
                throw new IllegalArgumentException("trainer poll interval must be positive, was " + pollInterval);
            }
            if (staleAfter == null || staleAfter.isNegative()) {
                throw new IllegalArgumentException("trainer stale-after must be >= 0 (0 = never stale), was "
                    + staleAfter);
            }
        }

        /** No limit. */
        public static Backpressure unbounded() {
            return new Backpressure(0, TRAINER_GROUP_PREFIX, POLL_INTERVAL, STALE_AFTER);
        }

        /** At most {@code maxEpochsAhead} epochs ahead of the standard trainer groups (0 = unbounded). */
        public static Backpressure epochsAhead(int maxEpochsAhead) {
            return new Backpressure(maxEpochsAhead, TRAINER_GROUP_PREFIX, POLL_INTERVAL, STALE_AFTER);
        }

        public boolean bounded() {
            return maxEpochsAhead > 0;
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

        /**
         * A dataset already in S3 ({@code datasets/<id>/manifest.json}): nothing is read or uploaded, only more epochs
         * of batch references are published.
         */
        record Stored(String datasetId) implements DatasetLocation {
            public Stored {
                if (datasetId == null || !datasetId.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
                    throw new IllegalArgumentException("dataset id must be 1-100 chars of letters, digits, '.', '_' or "
                        + "'-' (like ds-0123456789abcdef), was " + datasetId);
                }
            }
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
