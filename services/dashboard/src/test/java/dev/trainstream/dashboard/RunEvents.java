package dev.trainstream.dashboard;

import dev.trainstream.events.CheckpointCreated;
import dev.trainstream.events.EvaluationCompleted;
import dev.trainstream.events.GateDecision;
import dev.trainstream.events.MetricRecord;
import dev.trainstream.events.ModelPromoted;
import dev.trainstream.events.ModelSpec;
import dev.trainstream.events.PartitionOffset;
import dev.trainstream.events.RunConfig;
import dev.trainstream.events.RunLifecycle;
import dev.trainstream.events.RunPhase;
import dev.trainstream.events.TrainingMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Realistic events of one run, as the trainer and evaluator publish them, for the dashboard's tests. */
public final class RunEvents {
    public static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
    public static final ModelSpec MODEL = new ModelSpec(0.25, 32, 1, "relu", 10, 0.0);
    public static final String SHA = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";
    public static final List<String> CLASSES = List.of("cat <b>", "dog & \"friends\"", "<img src=x onerror=alert(1)>");

    private final String runId;

    public RunEvents(String runId) {
        this.runId = runId;
    }

    public RunLifecycle started() {
        return new RunLifecycle(runId, RunPhase.STARTED, T0,
            new RunConfig("synthetic-3c", MODEL, "sgd", 0.1, 0.9, 5.0e-4, 16, 2, 42L),
            Map.of("java.version", "17.0.15", "git.commit", "1d002af"), 0L, null);
    }

    public RunLifecycle failed(long steps, String reason) {
        return new RunLifecycle(runId, RunPhase.FAILED, T0.plusSeconds(600), null, Map.of(), steps, reason);
    }

    /** The metric group the trainer emits at a step; loss falls with the step so charts have a shape. */
    public TrainingMetrics metricsAt(long step) {
        long at = T0.plusSeconds(step).toEpochMilli();
        return new TrainingMetrics(runId, List.of(
            new MetricRecord("train.loss", 2.3 / (1 + step / 10.0), at, step),
            new MetricRecord("train.accuracy", Math.min(0.99, step / 100.0), at, step),
            new MetricRecord("learning_rate", 0.1, at, step),
            new MetricRecord("images_per_second", 400 + step, at, step),
            new MetricRecord("data_wait_ms", 3.5, at, step)));
    }

    public String checkpointUri(long step) {
        return String.format("s3://trainstream/runs/%s/checkpoints/step-%010d.ckpt", runId, step);
    }

    public CheckpointCreated checkpointAt(long step) {
        return checkpointAt(step, 0);
    }

    /** A checkpoint written at {@code step} after {@code epochsDone} completed epochs. */
    public CheckpointCreated checkpointAt(long step, int epochsDone) {
        return new CheckpointCreated(runId, checkpointUri(step), SHA, 1_234_567L, step, epochsDone, "synthetic-3c",
            "datasets/synthetic-3c/manifest.json", List.of(new PartitionOffset(0, step)), MODEL, 1.1, 0.6,
            T0.plusSeconds(step));
    }

    /** A 3-class evaluation with the given accuracy spread on the diagonal of 30 examples. */
    public EvaluationCompleted evaluationAt(long step, int correct, boolean promoted) {
        List<List<Long>> matrix = new ArrayList<>();
        for (int row = 0; row < 3; row++) {
            long right = row < correct % 3 ? correct / 3 + 1 : correct / 3;
            List<Long> counts = new ArrayList<>(List.of(0L, 0L, 0L));
            counts.set(row, right);
            counts.set((row + 1) % 3, 10 - right);
            matrix.add(counts);
        }
        List<Double> perClass = new ArrayList<>();
        for (int row = 0; row < 3; row++) {
            perClass.add(matrix.get(row).get(row) / 10.0);
        }
        return new EvaluationCompleted(runId, checkpointUri(step), SHA, step, 0, correct / 30.0, 0.9, CLASSES, perClass,
            matrix, 30, 800.0, 40, new GateDecision(promoted, promoted, promoted ? "improves" : "no improvement"),
            T0.plusSeconds(step + 5), null);
    }

    public ModelPromoted promotedAt(long step, double accuracy) {
        return new ModelPromoted(runId, checkpointUri(step), SHA, step, 0, accuracy, 0.9,
            "s3://trainstream/runs/" + runId + "/best.json", null, null, "first promotion", T0.plusSeconds(step + 6));
    }
}
