package dev.trainstream.trainer;

import java.util.Optional;

/** What a trainer run did: steps, epochs, dead-lettered batches, the last checkpoint, and why it ended. */
public record TrainerSummary(String runId, String datasetId, long steps, int epochs, long deadLettered,
                             Optional<String> lastCheckpointUri, double lastLoss, boolean stoppedEarly) {
}
