package dev.trainstream.trainer;

import java.util.Optional;

/**
 * What a trainer run did: steps, epochs, dead-lettered batches, the last checkpoint, and why it ended.
 * {@code finishedBefore}: the run had already trained every epoch asked for when this life started (its final
 * checkpoint says so), so this life trained nothing; steps, epochs and the checkpoint are those of that final one.
 */
public record TrainerSummary(String runId, String datasetId, long steps, int epochs, long deadLettered,
                             Optional<String> lastCheckpointUri, double lastLoss, boolean stoppedEarly,
                             boolean finishedBefore) {
}
