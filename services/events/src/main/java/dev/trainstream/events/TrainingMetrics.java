package dev.trainstream.events;

import java.util.List;

/**
 * A group of metric samples of one run (topic trainstream.metrics.v1, key = runId).
 * Samples after the last checkpoint may repeat after a trainer restart: de-duplicate by (runId, step, key).
 */
public record TrainingMetrics(String runId, List<MetricRecord> metrics) implements TrainstreamEvent {

    public TrainingMetrics {
        FieldChecks.nonBlank(runId, "runId");
        metrics = FieldChecks.copyNonEmpty(metrics, "metrics");
    }
}
