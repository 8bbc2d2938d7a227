package dev.trainstream.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * One minibatch: which records of which shards; entries are grouped by shard.
 *
 * @param datasetId    dataset the shards belong to (Kafka key)
 * @param manifestKey  S3 key of the dataset manifest listing the shards
 * @param epoch        zero-based epoch
 * @param step         zero-based step of this batch
 * @param stepsInEpoch number of batches in this epoch, >= 1
 * @param batchSize    configured batch size, >= 1 (the last batch of an epoch may hold fewer records)
 * @param entries      shard slices, never empty
 */
public record BatchReference(String datasetId, String manifestKey, int epoch, int step, int stepsInEpoch, int batchSize,
                             List<ShardSlice> entries) implements BatchStreamEvent {

    public BatchReference {
        FieldChecks.nonBlank(datasetId, "datasetId");
        FieldChecks.nonBlank(manifestKey, "manifestKey");
        FieldChecks.atLeast(epoch, 0, "epoch");
        FieldChecks.atLeast(step, 0, "step");
        FieldChecks.atLeast(stepsInEpoch, 1, "stepsInEpoch");
        FieldChecks.atLeast(batchSize, 1, "batchSize");
        entries = FieldChecks.copyNonEmpty(entries, "entries");
    }

    /** Number of records in this batch: the sum of the slices' index counts. */
    @JsonIgnore
    public int recordCount() {
        int count = 0;
        for (ShardSlice slice : entries) {
            count += slice.indices().size();
        }
        return count;
    }
}
