package dev.trainstream.dashboard.view;

/**
 * One sample of a metric series as the dashboard serves it.
 *
 * @param step      training step
 * @param value     sample value
 * @param timestamp epoch milliseconds when the trainer recorded it
 */
public record MetricPoint(long step, double value, long timestamp) {
}
