package dev.trainstream.dashboard.view;

import dev.trainstream.events.CheckpointCreated;
import dev.trainstream.events.EvaluationOutcome;
import dev.trainstream.events.RunLifecycle;
import dev.trainstream.events.TrainingMetrics;
import dev.trainstream.events.TrainstreamEvent;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * All runs the dashboard knows, fed by one writer (the event feed) and read by HTTP handlers and the CLI; at most
 * {@link ViewLimits#runs()} runs are kept, dropping the least recently updated.
 */
public final class RunRegistry {
    private final ViewLimits limits;
    private final Map<String, RunView> runs = new ConcurrentHashMap<>();

    public RunRegistry(ViewLimits limits) {
        if (limits == null) {
            throw new IllegalArgumentException("limits must not be null");
        }
        this.limits = limits;
    }

    /**
     * Records an event of the metric, checkpoint, evaluation or run topic.
     *
     * @return what changed, for live updates
     * @throws IllegalArgumentException for an event type the dashboard does not show (batches, dead letters)
     */
    public RunChange apply(TrainstreamEvent event) {
        if (event instanceof TrainingMetrics m) {
            return new RunChange(m.runId(), "metrics", view(m.runId()).apply(m));
        }
        if (event instanceof CheckpointCreated c) {
            view(c.runId()).apply(c);
            return new RunChange(c.runId(), "checkpoint", c.step());
        }
        if (event instanceof EvaluationOutcome e) {
            view(e.runId()).apply(e);
            return new RunChange(e.runId(), "evaluation", e.step());
        }
        if (event instanceof RunLifecycle r) {
            view(r.runId()).apply(r);
            return new RunChange(r.runId(), "run", r.steps());
        }
        throw new IllegalArgumentException("event type not shown by the dashboard: " + event.getClass().getSimpleName());
    }

    /** Every run, most recently updated first. */
    public List<RunSummary> summaries() {
        return runs.values().stream().map(RunView::summary)
            .sorted(Comparator.comparing(RunSummary::lastUpdate).reversed().thenComparing(RunSummary::runId))
            .toList();
    }

    public Optional<RunDetail> detail(String runId) {
        return find(runId).map(RunView::detail);
    }

    public Optional<List<EvaluationRow>> evaluations(String runId) {
        return find(runId).map(RunView::evaluations);
    }

    /** Samples with a step greater than {@code since} (-1 for all). */
    public Optional<MetricsPage> metrics(String runId, long since) {
        return find(runId).map(v -> v.metricsAfter(since));
    }

    public int size() {
        return runs.size();
    }

    private Optional<RunView> find(String runId) {
        return Optional.ofNullable(runId == null ? null : runs.get(runId));
    }

    private synchronized RunView view(String runId) {
        RunView existing = runs.get(runId);
        if (existing != null) {
            return existing;
        }
        while (runs.size() >= limits.runs()) {
            runs.values().stream().min(Comparator.comparing(RunView::lastUpdate))
                .ifPresent(oldest -> runs.values().remove(oldest));
        }
        RunView created = new RunView(runId, limits);
        runs.put(runId, created);
        return created;
    }
}
