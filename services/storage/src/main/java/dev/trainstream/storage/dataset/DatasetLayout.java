package dev.trainstream.storage.dataset;

/** Object keys of datasets in the bucket, defined once: {@code datasets/<id>/manifest.json} and its shards. */
public final class DatasetLayout {
    private DatasetLayout() {
    }

    public static String prefix(String datasetId) {
        return "datasets/" + datasetId + "/";
    }

    public static String manifestKey(String datasetId) {
        return prefix(datasetId) + "manifest.json";
    }

    public static String shardKey(String datasetId, String split, String digest) {
        return prefix(datasetId) + split + "/" + digest + ".shard";
    }
}
