package dev.trainstream.events;

/**
 * End-of-epoch marker published after the last batch of an epoch, in the same transaction.
 *
 * @param datasetId dataset (Kafka key)
 * @param epoch     the epoch that completed
 * @param steps     number of batches published for the epoch
 * @param records   number of records covered by those batches
 */
public record EpochCompleted(String datasetId, int epoch, int steps, long records) implements BatchStreamEvent {

    public EpochCompleted {
        FieldChecks.nonBlank(datasetId, "datasetId");
        FieldChecks.atLeast(epoch, 0, "epoch");
        FieldChecks.atLeast(steps, 0, "steps");
        FieldChecks.atLeast(records, 0L, "records");
    }
}
