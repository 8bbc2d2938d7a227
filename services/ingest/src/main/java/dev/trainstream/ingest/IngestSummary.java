package dev.trainstream.ingest;

import java.time.Duration;
import java.util.Locale;

/**
 * What an ingest run did, printed at the end and returned to callers (tests, the launcher).
 *
 * @param stoppedEarly true when a stop request ended the run before all asked-for epochs were published
 * @param firstEpoch the number of the first epoch this run published (epochs already on the topic come before it)
 */
public record IngestSummary(String datasetId, String manifestKey, long trainRecords, long testRecords, int classes,
                            int shardsUploaded, int shardsReused, long bytesUploaded, long bytesTotal,
                            int firstEpoch, int epochsPublished, long batchesPublished, Duration duration,
                            boolean stoppedEarly) {

    /** The number of the last epoch this run published. */
    public int lastEpoch() {
        return firstEpoch + epochsPublished - 1;
    }

    /** One human-readable paragraph. */
    public String render() {
        double seconds = Math.max(0.001, duration.toMillis() / 1000.0);
        return String.format(Locale.ROOT,
            "dataset %s: %d train + %d test records, %d classes; shards %d uploaded / %d already stored "
                + "(%.1f MB uploaded of %.1f MB); %d epochs (%d..%d) = %d batch references published; %.1f s (%.1f MB/s)",
            datasetId, trainRecords, testRecords, classes, shardsUploaded, shardsReused, bytesUploaded / 1e6,
            bytesTotal / 1e6, epochsPublished, firstEpoch, lastEpoch(), batchesPublished, seconds,
            bytesUploaded / 1e6 / seconds) + (stoppedEarly ? " (stopped early)" : "");
    }
}
