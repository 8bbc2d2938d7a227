package dev.trainstream.events;

import java.time.Instant;
import java.util.List;

/**
 * A checkpoint was written to object storage (topic trainstream.checkpoints.v1, key = runId).
 *
 * @param runId         training run
 * @param checkpointUri where the checkpoint lives, e.g. s3://bucket/runs/r1/step-100.params
 * @param sha256        sha256 hex of the checkpoint object
 * @param sizeBytes     size of the checkpoint object
 * @param step          global training step of the checkpoint
 * @param epoch         epoch of the checkpoint
 * @param datasetId     dataset trained on
 * @param manifestKey   S3 key of the dataset manifest
 * @param batchOffsets  next batches-topic offset per partition, to resume exactly after this checkpoint
 * @param model         model shape
 * @param trainLoss     training loss at the checkpoint, finite
 * @param trainAccuracy training accuracy at the checkpoint, within [0, 1]
 * @param createdAt     when the checkpoint was written
 */
public record CheckpointCreated(String runId, String checkpointUri, String sha256, long sizeBytes, long step, int epoch,
                                String datasetId, String manifestKey, List<PartitionOffset> batchOffsets, ModelSpec model,
                                double trainLoss, double trainAccuracy, Instant createdAt) implements TrainstreamEvent {

    public CheckpointCreated {
        FieldChecks.nonBlank(runId, "runId");
        FieldChecks.nonBlank(checkpointUri, "checkpointUri");
        FieldChecks.sha256(sha256, "sha256");
        FieldChecks.atLeast(sizeBytes, 0L, "sizeBytes");
        FieldChecks.atLeast(step, 0L, "step");
        FieldChecks.atLeast(epoch, 0, "epoch");
        FieldChecks.nonBlank(datasetId, "datasetId");
        FieldChecks.nonBlank(manifestKey, "manifestKey");
        batchOffsets = FieldChecks.copy(batchOffsets, "batchOffsets");
        FieldChecks.nonNull(model, "model");
        FieldChecks.finite(trainLoss, "trainLoss");
        FieldChecks.fraction(trainAccuracy, "trainAccuracy");
        FieldChecks.nonNull(createdAt, "createdAt");
    }
}
