package dev.trainstream.ingest;

/** Hears how an ingest run advances, so a terminal can draw a bar and logs can say where it is. */
public interface IngestProgress {
    void phase(String description);

    void uploaded(long bytesUploaded, long bytesTotal);

    void epochPublished(int epoch, int epochs, int batches);

    /** Progress as plain log lines (non-terminal output, tests). */
    static IngestProgress logging() {
        return new LoggingIngestProgress();
    }
}
