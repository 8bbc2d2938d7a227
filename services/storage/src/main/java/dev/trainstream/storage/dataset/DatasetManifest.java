package dev.trainstream.storage.dataset;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * What a stored dataset is: id, class names, image shape, per-split counts and shards, where it came from, and (from
 * format version 2) the pixel statistics of its training split. Written last, after every shard, so a reader that
 * finds a manifest always finds a complete dataset.
 *
 * @param pixelStatistics per-channel mean and std of the training pixels; null in a version-1 manifest (training then
 *                        normalises with CIFAR-10's values and says so)
 */
public record DatasetManifest(int formatVersion, String datasetId, String contentDigest, List<String> classes,
                              ImageShape imageShape, Split train, Split test, Source source, Instant createdAt,
                              @JsonInclude(JsonInclude.Include.NON_NULL) PixelStatistics pixelStatistics) {
    /** 2: pixel statistics added. */
    public static final int FORMAT_VERSION = 2;

    public DatasetManifest {
        if (datasetId == null || datasetId.isBlank()) {
            throw new IllegalArgumentException("manifest datasetId must be set");
        }
        if (classes == null || classes.isEmpty()) {
            throw new IllegalArgumentException("manifest of " + datasetId + " has no classes");
        }
        classes = List.copyOf(classes);
        if (train == null || test == null) {
            throw new IllegalArgumentException("manifest of " + datasetId + " needs train and test splits");
        }
        if (pixelStatistics != null && imageShape != null
            && pixelStatistics.mean().size() != imageShape.channels()) {
            throw new IllegalArgumentException("manifest of " + datasetId + " has pixel statistics for "
                + pixelStatistics.mean().size() + " channels but images of " + imageShape.channels());
        }
    }

    /** One split: its record count, count per class (index = label) and its shards in record order. */
    public record Split(long records, List<Long> perClass, List<ShardRef> shards) {
        public Split {
            perClass = List.copyOf(perClass);
            shards = List.copyOf(shards);
            long sum = shards.stream().mapToLong(ShardRef::records).sum();
            if (sum != records) {
                throw new IllegalArgumentException("split declares " + records + " records but its shards hold " + sum);
            }
        }

        /** The shard with this digest, or an exception naming it. */
        public ShardRef shard(String digest) {
            return shards.stream().filter(s -> s.digest().equals(digest)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no shard " + digest + " in this split"));
        }
    }

    /** One stored shard: sha256 (its content address), object key, record count, first global record index, size. */
    public record ShardRef(String digest, String key, int records, long firstRecord, long sizeBytes) {
    }

    /** Provenance of the data: kind (cifar10-binary, image-folder, synthetic), location and its checksum. */
    public record Source(String kind, String location, String checksum) {
    }
}
