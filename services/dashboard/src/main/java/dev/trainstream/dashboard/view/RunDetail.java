package dev.trainstream.dashboard.view;

import dev.trainstream.events.RunConfig;
import java.util.List;
import java.util.Map;

/**
 * Everything the run page shows apart from the metric series.
 *
 * @param summary     the runs-list row
 * @param config      configuration from the STARTED event; null if not seen
 * @param provenance  provenance facts from the lifecycle events (code version, JVM, libraries, platform)
 * @param checkpoints checkpoints in step order, the best one marked
 * @param metricKeys  names of the metric series held for the run
 * @param stepsPerEpoch training steps in one epoch, so pages can plot against epochs; null until the run has
 *                    completed an epoch (see {@link RunView})
 */
public record RunDetail(RunSummary summary, RunConfig config, Map<String, String> provenance,
                        List<CheckpointRow> checkpoints, List<String> metricKeys, Long stepsPerEpoch) {
}
