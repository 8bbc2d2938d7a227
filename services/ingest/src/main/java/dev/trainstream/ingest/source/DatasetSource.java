package dev.trainstream.ingest.source;

/** Somewhere a dataset comes from (CIFAR-10 binary, an image folder, the synthetic generator). */
public interface DatasetSource {
    /** Reads and validates the whole dataset; any bad input throws with a message naming the file or record. */
    LoadedDataset load() throws DatasetException;

    /** Human-readable description for logs. */
    String describe();
}
