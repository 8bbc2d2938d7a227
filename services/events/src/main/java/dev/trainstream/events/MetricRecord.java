package dev.trainstream.events;

/**
 * One MLflow-shaped metric sample.
 *
 * @param key       metric name, e.g. "train.loss"
 * @param value     finite value (JSON has no NaN/Infinity; a diverged loss must be reported another way)
 * @param timestamp epoch milliseconds
 * @param step      training step, >= 0
 */
public record MetricRecord(String key, double value, long timestamp, long step) {

    public MetricRecord {
        FieldChecks.nonBlank(key, "key");
        FieldChecks.finite(value, "value");
        FieldChecks.atLeast(timestamp, 0L, "timestamp");
        FieldChecks.atLeast(step, 0L, "step");
    }
}
