package dev.trainstream.evaluator;

import java.time.Instant;

/** The small object {@code runs/<id>/best.json}: which checkpoint is the run's best, replaced by one atomic PUT. */
public record BestModelPointer(String runId, String checkpointUri, String sha256, long step, int epoch, double accuracy,
                               double meanLoss, Instant promotedAt) {
}
