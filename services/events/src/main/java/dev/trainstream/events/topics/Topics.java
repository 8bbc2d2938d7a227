package dev.trainstream.events.topics;

import dev.trainstream.events.BatchStreamEvent;
import dev.trainstream.events.CheckpointCreated;
import dev.trainstream.events.DeadLetter;
import dev.trainstream.events.EvaluationOutcome;
import dev.trainstream.events.EventType;
import dev.trainstream.events.RunLifecycle;
import dev.trainstream.events.TrainingMetrics;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The catalogue of Trainstream topics; mirrors the channels of schemas/asyncapi.yaml (a test keeps them equal). */
public final class Topics {

    private static final String WEEK_MS = "604800000";
    private static final String MONTH_MS = "2592000000";

    /** Batch references and end-of-epoch markers, key = datasetId. Kept a week so a trainer can replay an epoch. */
    public static final Topic<BatchStreamEvent> BATCHES = Topic.define("trainstream.batches.v1", 3,
            BatchStreamEvent.class, BatchStreamEvent::datasetId,
            Set.of(EventType.BATCH_REFERENCE, EventType.EPOCH_COMPLETED), retention(WEEK_MS));

    /** Training metrics, key = runId. */
    public static final Topic<TrainingMetrics> METRICS = Topic.define("trainstream.metrics.v1", 3,
            TrainingMetrics.class, TrainingMetrics::runId, Set.of(EventType.TRAINING_METRICS), retention(WEEK_MS));

    /** Checkpoint notifications, key = runId. */
    public static final Topic<CheckpointCreated> CHECKPOINTS = Topic.define("trainstream.checkpoints.v1", 3,
            CheckpointCreated.class, CheckpointCreated::runId, Set.of(EventType.CHECKPOINT_CREATED),
            retention(MONTH_MS));

    /** Evaluation outcomes (scored, failed, promoted), key = runId so a run's outcomes stay in order. */
    public static final Topic<EvaluationOutcome> EVALUATIONS = Topic.define("trainstream.evaluations.v1", 3,
            EvaluationOutcome.class, EvaluationOutcome::runId,
            Set.of(EventType.EVALUATION_COMPLETED, EventType.EVALUATION_FAILED, EventType.MODEL_PROMOTED),
            retention(MONTH_MS));

    /** Run lifecycle, key = runId. */
    public static final Topic<RunLifecycle> RUNS = Topic.define("trainstream.runs.v1", 3,
            RunLifecycle.class, RunLifecycle::runId, Set.of(EventType.RUN_LIFECYCLE), retention(MONTH_MS));

    /** Dead letters, key = source topic name; one partition keeps them in rejection order. */
    public static final Topic<DeadLetter> DEAD_LETTERS = Topic.define("trainstream.deadletter.v1", 1,
            DeadLetter.class, DeadLetter::sourceTopic, Set.of(EventType.DEAD_LETTER), retention(MONTH_MS));

    private static final List<Topic<?>> ALL = List.of(BATCHES, METRICS, CHECKPOINTS, EVALUATIONS, RUNS, DEAD_LETTERS);

    private Topics() {
    }

    /** Every topic of the project. */
    public static List<Topic<?>> all() {
        return ALL;
    }

    /** The topic with this name, if it is one of ours. */
    public static Optional<Topic<?>> byName(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** The topic on which events of this type travel. */
    public static Topic<?> carrying(EventType type) {
        return ALL.stream().filter(t -> t.eventTypes().contains(type)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no topic carries " + type));
    }

    private static Map<String, String> retention(String retentionMs) {
        return Map.of("cleanup.policy", "delete", "retention.ms", retentionMs);
    }
}
