package dev.trainstream.ingest.source;

import dev.trainstream.storage.dataset.Shard;

/** Takes a streaming source's records block by block, each split's blocks in their final order. */
@FunctionalInterface
public interface RecordSink {
    /** The two splits a dataset has. */
    enum Split { TRAIN, TEST }

    /**
     * The next {@code block} of {@code split}. Its labels may not be checked against the class list yet (that list
     * can come later in an archive): a source that finds one out of range throws from its read.
     */
    void accept(Split split, Shard block) throws DatasetException;
}
