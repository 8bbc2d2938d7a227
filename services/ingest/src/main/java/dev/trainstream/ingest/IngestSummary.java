package dev.trainstream.ingest;

import java.time.Duration;

/** What an ingest run did, printed at the end and returned to callers (tests, the launcher). */
public record IngestSummary(String datasetId, String manifestKey, long trainRecords, long testRecords, int classes,
                            int shardsUploaded, int shardsReused, long bytesUploaded, long bytesTotal,
                            int epochsPublished, long batchesPublished, Duration duration) {

    /** One human-readable paragraph. */
    public String render() {
        double seconds = Math.max(0.001, duration.toMillis() / 1000.0);
        return String.format(java.util.Locale.ROOT,
            "dataset %s: %d train + %d test records, %d classes; shards %d uploaded / %d already stored "
                + "(%.1f MB uploaded of %.1f MB); %d epochs = %d batch references published; %.1f s (%.1f MB/s)",
            datasetId, trainRecords, testRecords, classes, shardsUploaded, shardsReused, bytesUploaded / 1e6,
            bytesTotal / 1e6, epochsPublished, batchesPublished, seconds, bytesUploaded / 1e6 / seconds);
    }
}
