package dev.trainstream.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Realistic instances of every event type; the golden files in src/test/resources/golden hold the same values. */
public final class SampleEvents {

    public static final String DATASET_ID = "cifar10-3f2a9c";
    public static final String MANIFEST_KEY = "datasets/cifar10-3f2a9c/manifest.json";
    public static final String RUN_ID = "run-20250501-120000-7c1e";
    public static final String SHARD_A = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    public static final String SHARD_B = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752";
    public static final String CHECKPOINT_SHA = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";
    public static final String CHECKPOINT_URI = "s3://trainstream/runs/" + RUN_ID + "/checkpoints/step-000782.params";
    public static final ModelSpec MODEL = new ModelSpec(0.5, 32, 1, "relu6", 10, 0.2);
    public static final List<String> CIFAR10_CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog",
            "frog", "horse", "ship", "truck");

    private SampleEvents() {
    }

    public static BatchReference batchReference() {
        return new BatchReference(DATASET_ID, MANIFEST_KEY, 1, 17, 782, 64, List.of(
                new ShardSlice(SHARD_A, List.of(3, 17, 512, 9001)),
                new ShardSlice(SHARD_B, List.of(0, 42))));
    }

    public static EpochCompleted epochCompleted() {
        return new EpochCompleted(DATASET_ID, 1, 782, 50_000L);
    }

    public static TrainingMetrics trainingMetrics() {
        return new TrainingMetrics(RUN_ID, List.of(
                new MetricRecord("train.loss", 1.2345, 1_714_564_800_123L, 799L),
                new MetricRecord("train.accuracy", 0.5625, 1_714_564_800_123L, 799L),
                new MetricRecord("train.images_per_second", 1834.5, 1_714_564_800_123L, 799L)));
    }

    public static CheckpointCreated checkpointCreated() {
        return new CheckpointCreated(RUN_ID, CHECKPOINT_URI, CHECKPOINT_SHA, 13_254_912L, 782L, 0, DATASET_ID,
                MANIFEST_KEY, List.of(new PartitionOffset(0, 783L), new PartitionOffset(1, 0L), new PartitionOffset(2, 0L)),
                MODEL, 1.4172, 0.4891, Instant.parse("2025-05-01T12:13:14.567Z"));
    }

    public static EvaluationCompleted evaluationCompleted() {
        List<List<Long>> confusion = new java.util.ArrayList<>();
        for (int row = 0; row < 10; row++) {
            List<Long> counts = new java.util.ArrayList<>();
            for (int col = 0; col < 10; col++) {
                counts.add(row == col ? 600L + row : (long) ((row * 7 + col * 3) % 11));
            }
            confusion.add(counts);
        }
        return new EvaluationCompleted(RUN_ID, CHECKPOINT_URI, CHECKPOINT_SHA, 782L, 0, 0.6123, 1.0931,
                CIFAR10_CLASSES, List.of(0.71, 0.78, 0.45, 0.41, 0.55, 0.5, 0.7, 0.66, 0.74, 0.63), confusion,
                10_000L, 2412.75, 4145L, new GateDecision(true, true, "accuracy 0.6123 >= 0.6 and better than 0.5871"),
                Instant.parse("2025-05-01T12:14:02Z"), null);
    }

    public static EvaluationFailed evaluationFailed() {
        return new EvaluationFailed(RUN_ID, CHECKPOINT_URI, 782L,
                "sha256 mismatch: expected " + CHECKPOINT_SHA + ", object has a different digest",
                Instant.parse("2025-05-01T12:14:03.001Z"));
    }

    public static ModelPromoted modelPromoted() {
        return new ModelPromoted(RUN_ID, CHECKPOINT_URI, CHECKPOINT_SHA, 782L, 0, 0.6123, 1.0931,
                "s3://trainstream/runs/" + RUN_ID + "/best.json",
                "s3://trainstream/runs/" + RUN_ID + "/checkpoints/step-0000000391.ckpt", 0.5871,
                "accuracy 0.6123 improves on best 0.5871", Instant.parse("2025-05-01T12:14:02.250Z"));
    }

    /** The run's first promotion: no earlier best, so the previous* fields are absent. */
    public static ModelPromoted firstModelPromoted() {
        return new ModelPromoted(RUN_ID, CHECKPOINT_URI, CHECKPOINT_SHA, 782L, 0, 0.6123, 1.0931,
                "s3://trainstream/runs/" + RUN_ID + "/best.json", null, null,
                "accuracy 0.6123 meets floor 0.5000; first evaluated checkpoint of the run",
                Instant.parse("2025-05-01T12:14:02.250Z"));
    }

    public static RunLifecycle runStarted() {
        return new RunLifecycle(RUN_ID, RunPhase.STARTED, Instant.parse("2025-05-01T12:00:00Z"),
                new RunConfig(DATASET_ID, MODEL, "sgd", 0.05, 0.9, 5.0e-4, 64, 10, 42L),
                Map.of("java.version", "17.0.15", "djl.version", "0.36.0", "pytorch.version", "2.7.1",
                        "os.arch", "amd64"),
                0L, null);
    }

    public static RunLifecycle runFailed() {
        return new RunLifecycle(RUN_ID, RunPhase.FAILED, Instant.parse("2025-05-01T12:30:00Z"), null, Map.of(),
                1204L, "batch shard " + SHARD_A + " missing from object storage");
    }

    public static RunLifecycle runStopped() {
        return new RunLifecycle(RUN_ID, RunPhase.STOPPED, Instant.parse("2025-05-01T12:40:00Z"), null, Map.of(),
                1300L, "stop requested after 3 of 10 epochs; final checkpoint s3://trainstream/runs/" + RUN_ID
                + "/checkpoints/step-0000001300.ckpt");
    }

    public static DeadLetter deadLetter() {
        return new DeadLetter("trainstream.batches.v1", 2, 1337L, DATASET_ID, "dev.trainstream.batch-reference.v1",
                "payload violates batch-reference.v1.json: $: required property 'datasetId' not found",
                "eyJtYW5pZmVzdEtleSI6Im0ifQ==", "trainer", Instant.parse("2025-05-01T12:15:00Z"),
                null, null, null);
    }

    /** One sample per event type, the one mirrored by golden/&lt;schema file&gt;. */
    public static TrainstreamEvent sample(EventType type) {
        return switch (type) {
            case BATCH_REFERENCE -> batchReference();
            case EPOCH_COMPLETED -> epochCompleted();
            case TRAINING_METRICS -> trainingMetrics();
            case CHECKPOINT_CREATED -> checkpointCreated();
            case EVALUATION_COMPLETED -> evaluationCompleted();
            case EVALUATION_FAILED -> evaluationFailed();
            case MODEL_PROMOTED -> modelPromoted();
            case RUN_LIFECYCLE -> runStarted();
            case DEAD_LETTER -> deadLetter();
        };
    }
}
