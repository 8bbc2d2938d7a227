package dev.trainstream.trainer;

import dev.trainstream.events.BatchReference;
import dev.trainstream.events.EpochCompleted;

/**
 * One record of the batch topic in the look-ahead, in offset order: a batch to train, an epoch marker, or a record of
 * another dataset that only advances the offset.
 */
sealed interface PendingItem {
    int partition();

    long offset();

    /** A batch reference of this run's dataset; its batch is being fetched and prepared. */
    record Batch(int partition, long offset, BatchReference reference) implements PendingItem {
    }

    /** The end of an epoch of this run's dataset. */
    record Marker(int partition, long offset, EpochCompleted marker) implements PendingItem {
    }

    /** A record of another dataset: nothing to do but move past it. */
    record Skip(int partition, long offset) implements PendingItem {
    }
}
