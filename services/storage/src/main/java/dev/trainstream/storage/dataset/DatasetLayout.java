package dev.trainstream.storage.dataset;

/**
 * Object keys of datasets in the bucket, defined once. A dataset is its manifest, {@code datasets/<id>/manifest.json};
 * shards are content-addressed, {@code shards/<sha256>.shard}, independent of any dataset id, so ingest can upload a
 * shard as soon as it is encoded (the id is a digest of all shards) and equal shards are stored once. Readers take
 * every shard key from the manifest, never from this layout.
 */
public final class DatasetLayout {
    private DatasetLayout() {
    }

    public static String prefix(String datasetId) {
        return "datasets/" + datasetId + "/";
    }

    public static String manifestKey(String datasetId) {
        return prefix(datasetId) + "manifest.json";
    }

    /** Prefix of every shard of every dataset. */
    public static String shardsPrefix() {
        return "shards/";
    }

    /** The key of the shard whose encoded bytes have this sha256 (64 lowercase hex digits). */
    public static String shardKey(String sha256) {
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("shard digest must be 64 lowercase hex digits, was " + sha256);
        }
        return shardsPrefix() + sha256 + ".shard";
    }
}
