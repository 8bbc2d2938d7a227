package dev.trainstream.trainer;

import dev.trainstream.engine.data.PreparedBatch;
import dev.trainstream.events.BatchReference;
import dev.trainstream.events.EpochCompleted;
import java.util.concurrent.CompletableFuture;

/**
 * One record of the batch topic in the look-ahead queue, in offset order: a batch being fetched and prepared, an epoch
 * marker, or a record of another dataset that only advances the offset.
 */
record PendingItem(int partition, long offset, BatchReference batch, CompletableFuture<PreparedBatch> prepared,
                   EpochCompleted marker) {
    static PendingItem batch(int partition, long offset, BatchReference batch, CompletableFuture<PreparedBatch> prepared) {
        return new PendingItem(partition, offset, batch, prepared, null);
    }

    static PendingItem marker(int partition, long offset, EpochCompleted marker) {
        return new PendingItem(partition, offset, null, null, marker);
    }

    static PendingItem skip(int partition, long offset) {
        return new PendingItem(partition, offset, null, null, null);
    }
}
