package dev.trainstream.dashboard.view;

import java.util.List;
import java.util.Map;

/**
 * The metric samples of a run after a given step, one series per metric key.
 *
 * @param runId    training run
 * @param since    the exclusive lower step bound asked for (-1 = from the start)
 * @param lastStep highest step in the answer, or {@code since} when nothing is newer (ask again with it)
 * @param series   points per metric key, in step order
 */
public record MetricsPage(String runId, long since, long lastStep, Map<String, List<MetricPoint>> series) {
}
