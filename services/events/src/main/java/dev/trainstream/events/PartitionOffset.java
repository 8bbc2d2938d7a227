package dev.trainstream.events;

/** The next offset to consume in one partition of the batches topic, so a restart resumes exactly there. */
public record PartitionOffset(int partition, long offset) {

    public PartitionOffset {
        FieldChecks.atLeast(partition, 0, "partition");
        FieldChecks.atLeast(offset, 0L, "offset");
    }
}
