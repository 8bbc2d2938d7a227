package dev.trainstream.dashboard.view;

import dev.trainstream.events.CheckpointCreated;
import dev.trainstream.events.EvaluationCompleted;
import dev.trainstream.events.EvaluationOutcome;
import dev.trainstream.events.MetricRecord;
import dev.trainstream.events.ModelPromoted;
import dev.trainstream.events.RunConfig;
import dev.trainstream.events.RunLifecycle;
import dev.trainstream.events.RunPhase;
import dev.trainstream.events.TrainingMetrics;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bounded in-memory picture of one run, built from its events in any order and idempotent under re-delivery:
 * metrics are keyed by (step, key), checkpoints and evaluations by checkpoint URI. Thread-safe (one writer, many readers).
 */
final class RunView {
    /** The trainer's sample of completed epochs, published with every metric group. */
    static final String EPOCH_METRIC = "epoch";
    private final String runId;
    private final ViewLimits limits;
    private final Map<String, MetricSeries> metrics = new TreeMap<>();
    private final TreeMap<String, CheckpointCreated> checkpoints = new TreeMap<>();
    private final LinkedHashMap<String, EvaluationOutcome> evaluations = new LinkedHashMap<>();
    private RunStatus status = RunStatus.UNKNOWN;
    private RunConfig config;
    private Map<String, String> provenance = Map.of();
    private String failureReason;
    private String promotedCheckpointUri;
    private long steps;
    private Instant lastUpdate = Instant.EPOCH;

    RunView(String runId, ViewLimits limits) {
        this.runId = runId;
        this.limits = limits;
    }

    synchronized long apply(TrainingMetrics event) {
        long newest = 0;
        for (MetricRecord r : event.metrics()) {
            metrics.computeIfAbsent(r.key(), k -> new MetricSeries(limits.pointsPerSeries()))
                .add(new MetricPoint(r.step(), r.value(), r.timestamp()));
            newest = Math.max(newest, r.step());
            touch(Instant.ofEpochMilli(r.timestamp()));
        }
        steps = Math.max(steps, newest);
        return newest;
    }

    synchronized void apply(RunLifecycle event) {
        if (event.phase() != RunPhase.WARNING) {
            // A warning changes nothing about where the run is: it keeps its status.
            status = RunStatus.of(event.phase());
        }
        if (event.config() != null) {
            config = event.config();
        }
        if (!event.provenance().isEmpty()) {
            Map<String, String> merged = new TreeMap<>(provenance);
            merged.putAll(event.provenance());
            provenance = Map.copyOf(merged);
        }
        if (event.phase() != RunPhase.WARNING) {
            failureReason = event.phase() == RunPhase.FAILED ? event.reason() : null;
        }
        steps = Math.max(steps, event.steps());
        touch(event.at());
    }

    synchronized void apply(CheckpointCreated event) {
        checkpoints.put(event.checkpointUri(), event);
        while (checkpoints.size() > limits.checkpointsPerRun()) {
            checkpoints.remove(oldestCheckpoint());
        }
        steps = Math.max(steps, event.step());
        touch(event.createdAt());
    }

    synchronized void apply(EvaluationOutcome event) {
        if (event instanceof ModelPromoted promoted) {
            promotedCheckpointUri = promoted.checkpointUri();
            touch(promoted.promotedAt());
            return;
        }
        // Remove first so a re-evaluation moves to the end: insertion order is arrival order.
        evaluations.remove(event.checkpointUri());
        evaluations.put(event.checkpointUri(), event);
        while (evaluations.size() > limits.checkpointsPerRun()) {
            evaluations.remove(evaluations.keySet().iterator().next());
        }
        touch(EvaluationRow.of(event).at());
    }

    synchronized RunSummary summary() {
        Double best = evaluations.values().stream().filter(EvaluationCompleted.class::isInstance)
            .mapToDouble(e -> ((EvaluationCompleted) e).accuracy()).boxed().max(Double::compare).orElse(null);
        String dataset = config != null ? config.datasetId()
            : checkpoints.values().stream().map(CheckpointCreated::datasetId).findFirst().orElse(null);
        return new RunSummary(runId, status, dataset, configSummary(), steps, best, lastUpdate, failureReason);
    }

    synchronized RunDetail detail() {
        String best = bestCheckpointUri();
        List<CheckpointRow> rows = checkpoints.values().stream()
            .sorted((a, b) -> Long.compare(a.step(), b.step()))
            .map(c -> CheckpointRow.of(c, testAccuracy(c.checkpointUri()), c.checkpointUri().equals(best)))
            .toList();
        return new RunDetail(summary(), config, provenance, rows, List.copyOf(metrics.keySet()), stepsPerEpoch());
    }

    synchronized List<EvaluationRow> evaluations() {
        return evaluations.values().stream().map(EvaluationRow::of)
            .sorted((a, b) -> Long.compare(a.step(), b.step())).toList();
    }

    synchronized MetricsPage metricsAfter(long since) {
        Map<String, List<MetricPoint>> series = new TreeMap<>();
        long last = since;
        for (Map.Entry<String, MetricSeries> e : metrics.entrySet()) {
            List<MetricPoint> points = e.getValue().after(since);
            if (!points.isEmpty()) {
                series.put(e.getKey(), points);
                last = Math.max(last, points.get(points.size() - 1).step());
            }
        }
        return new MetricsPage(runId, since, last, series);
    }

    synchronized Instant lastUpdate() {
        return lastUpdate;
    }

    /**
     * Steps per epoch, from what the trainer says of epochs: a checkpoint or an {@code epoch} sample at step s after
     * E >= 1 completed epochs has s >= E x steps-per-epoch, with equality for the checkpoint the trainer writes at
     * every epoch's end. So the least s / E is exact once such a checkpoint is held; null before any epoch completed.
     */
    private Long stepsPerEpoch() {
        double least = Double.POSITIVE_INFINITY;
        for (CheckpointCreated c : checkpoints.values()) {
            if (c.epoch() >= 1 && c.step() > 0) {
                least = Math.min(least, (double) c.step() / c.epoch());
            }
        }
        MetricSeries epochs = metrics.get(EPOCH_METRIC);
        if (epochs != null) {
            for (MetricPoint p : epochs.after(-1)) {
                if (p.value() >= 1 && p.step() > 0) {
                    least = Math.min(least, p.step() / p.value());
                }
            }
        }
        return Double.isInfinite(least) ? null : Math.max(1L, (long) Math.floor(least));
    }

    /** The latest promoted checkpoint; without any promotion, the most accurate one. */
    private String bestCheckpointUri() {
        String promoted = promotedCheckpointUri;
        String mostAccurate = null;
        double bestAccuracy = -1;
        for (EvaluationOutcome e : evaluations.values()) {
            if (e instanceof EvaluationCompleted c) {
                if (promotedCheckpointUri == null && c.gate().promoted()) {
                    promoted = c.checkpointUri();
                }
                if (c.accuracy() > bestAccuracy) {
                    bestAccuracy = c.accuracy();
                    mostAccurate = c.checkpointUri();
                }
            }
        }
        return promoted != null ? promoted : mostAccurate;
    }

    private Double testAccuracy(String checkpointUri) {
        return evaluations.get(checkpointUri) instanceof EvaluationCompleted c ? c.accuracy() : null;
    }

    private String oldestCheckpoint() {
        return checkpoints.values().stream().min((a, b) -> Long.compare(a.step(), b.step()))
            .map(CheckpointCreated::checkpointUri).orElseThrow();
    }

    private String configSummary() {
        if (config == null) {
            return null;
        }
        return String.format(Locale.ROOT, "MobileNetV1 x%s @%dpx, %s lr %s, batch %d, %d epochs",
            trim(config.model().widthMultiplier()), config.model().resolution(), config.optimizer(),
            trim(config.learningRate()), config.batchSize(), config.epochs());
    }

    private static String trim(double value) {
        return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
    }

    private void touch(Instant at) {
        if (at.isAfter(lastUpdate)) {
            lastUpdate = at;
        }
    }
}
