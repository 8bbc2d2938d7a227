package dev.trainstream.ingest.source;

import dev.trainstream.storage.dataset.DatasetManifest;
import java.util.List;

/**
 * A source that hands its records over while it is still being read, so ingest can cut, hash and upload shards on
 * the other cores instead of after the whole archive is decompressed.
 */
public interface StreamingSource extends DatasetSource {
    /** What is known of a streamed dataset once its last block has been handed over. */
    record Streamed(List<String> classes, DatasetManifest.Source source) {
        public Streamed {
            classes = List.copyOf(classes);
        }
    }

    /**
     * Reads the source and hands every record to {@code sink}, each split in its final order, as early as that order
     * allows. Bad input throws with a message naming the file; blocks handed over before the error was found (a label
     * outside a class list read later, a missing or duplicated file, a truncated archive) are the caller's to discard.
     */
    Streamed stream(RecordSink sink) throws DatasetException;

    /** What the encoded records will roughly come to, for a progress bar (the size is known only at the end). */
    long estimatedBytes();
}
