package dev.trainstream.ingest;

/** Hears how an ingest run advances, so a terminal can draw a bar and logs can say where it is. */
public interface IngestProgress {
    void phase(String description);

    void uploaded(long bytesUploaded, long bytesTotal);

    /** Epoch number {@code epoch} is committed: the {@code done}-th of the {@code total} this run publishes. */
    void epochPublished(int epoch, int done, int total, int batches);

    /** Progress as plain log lines (non-terminal output, tests). */
    static IngestProgress logging() {
        return new LoggingIngestProgress();
    }
}
