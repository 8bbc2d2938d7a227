package dev.trainstream.ingest.publish;

/**
 * Where the committed {@link dev.trainstream.events.EpochCompleted} marker of one epoch lies on the batches topic: a
 * consumer group whose committed offset on {@code partition} is greater than {@code offset} has consumed that epoch.
 */
public record EpochMarker(int epoch, int partition, long offset) {
    public EpochMarker {
        if (epoch < 0 || partition < 0 || offset < 0) {
            throw new IllegalArgumentException("epoch marker needs epoch, partition and offset >= 0, was " + epoch + ", "
                + partition + ", " + offset);
        }
    }

    /** True when a group whose next offset on this marker's partition is {@code committed} has read past the marker. */
    public boolean consumedAt(long committed) {
        return committed > offset;
    }
}
