package dev.trainstream.ingest;

import dev.trainstream.ingest.timeline.PhaseSpan;
import java.util.List;

/** Hears how an ingest run advances, so a terminal can draw a bar and logs can say where it is. */
public interface IngestProgress {
    void phase(String description);

    void uploaded(long bytesUploaded, long bytesTotal);

    /** Epoch number {@code epoch} is committed: the {@code done}-th of the {@code total} this run publishes. */
    void epochPublished(int epoch, int done, int total, int batches);

    /**
     * The run's phases with their wall intervals and thread CPU, once, when the dataset is stored and the last epoch
     * of this run committed (a breakdown for benchmarks; the default ignores it).
     */
    default void phases(List<PhaseSpan> spans) {
    }

    /** Progress as plain log lines (non-terminal output, tests). */
    static IngestProgress logging() {
        return new LoggingIngestProgress();
    }
}
