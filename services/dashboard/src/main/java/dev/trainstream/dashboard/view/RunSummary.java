package dev.trainstream.dashboard.view;

import java.time.Instant;

/**
 * One row of the runs list.
 *
 * @param runId          training run
 * @param status         phase from the run's lifecycle events
 * @param datasetId      dataset trained on; null until a STARTED event or checkpoint names it
 * @param configSummary  short human-readable configuration (model width, batch, learning rate, epochs); may be null
 * @param steps          highest training step seen in any event of the run
 * @param bestAccuracy   highest test accuracy of its evaluated checkpoints; null before the first evaluation
 * @param lastUpdate     newest event time seen for the run
 * @param failureReason  why the run failed; null unless FAILED
 */
public record RunSummary(String runId, RunStatus status, String datasetId, String configSummary, long steps,
                         Double bestAccuracy, Instant lastUpdate, String failureReason) {
}
