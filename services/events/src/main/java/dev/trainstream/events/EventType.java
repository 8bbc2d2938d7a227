package dev.trainstream.events;

import java.net.URI;
import java.util.Arrays;
import java.util.Optional;

/** The one place naming each event type's CloudEvents type, Java record and JSON schema file. */
public enum EventType {
    BATCH_REFERENCE("dev.trainstream.batch-reference.v1", BatchReference.class, "batch-reference.v1.json"),
    EPOCH_COMPLETED("dev.trainstream.epoch-completed.v1", EpochCompleted.class, "epoch-completed.v1.json"),
    TRAINING_METRICS("dev.trainstream.training-metrics.v1", TrainingMetrics.class, "training-metrics.v1.json"),
    CHECKPOINT_CREATED("dev.trainstream.checkpoint-created.v1", CheckpointCreated.class, "checkpoint-created.v1.json"),
    EVALUATION_COMPLETED("dev.trainstream.evaluation-completed.v1", EvaluationCompleted.class,
            "evaluation-completed.v1.json"),
    EVALUATION_FAILED("dev.trainstream.evaluation-failed.v1", EvaluationFailed.class, "evaluation-failed.v1.json"),
    MODEL_PROMOTED("dev.trainstream.model-promoted.v1", ModelPromoted.class, "model-promoted.v1.json"),
    RUN_LIFECYCLE("dev.trainstream.run-lifecycle.v1", RunLifecycle.class, "run-lifecycle.v1.json"),
    DEAD_LETTER("dev.trainstream.dead-letter.v1", DeadLetter.class, "dead-letter.v1.json");

    /** Base URI of the schemas' $id; the files themselves are classpath resources under {@link #SCHEMA_RESOURCE_DIR}. */
    public static final String SCHEMA_BASE_URI = "https://trainstream.dev/schemas/";
    /** Classpath folder holding the schema files (packaged from the repository's schemas/ folder). */
    public static final String SCHEMA_RESOURCE_DIR = "schemas/";

    private final String ceType;
    private final Class<? extends TrainstreamEvent> javaType;
    private final String schemaFile;

    EventType(String ceType, Class<? extends TrainstreamEvent> javaType, String schemaFile) {
        this.ceType = ceType;
        this.javaType = javaType;
        this.schemaFile = schemaFile;
    }

    /** CloudEvents type, e.g. dev.trainstream.batch-reference.v1. */
    public String ceType() {
        return ceType;
    }

    /** The record class carrying this event type. */
    public Class<? extends TrainstreamEvent> javaType() {
        return javaType;
    }

    /** Schema file name, e.g. batch-reference.v1.json (under schemas/ in the repository and on the classpath). */
    public String schemaFile() {
        return schemaFile;
    }

    /** The CloudEvents dataschema and the schema's $id, e.g. https://trainstream.dev/schemas/batch-reference.v1.json. */
    public URI dataschema() {
        return URI.create(SCHEMA_BASE_URI + schemaFile);
    }

    /** Classpath resource name of the schema, e.g. schemas/batch-reference.v1.json. */
    public String schemaResource() {
        return SCHEMA_RESOURCE_DIR + schemaFile;
    }

    /** The event type with this CloudEvents type, if any. */
    public static Optional<EventType> fromCeType(String ceType) {
        return Arrays.stream(values()).filter(t -> t.ceType.equals(ceType)).findFirst();
    }

    /** The event type of a record class. */
    public static EventType of(Class<? extends TrainstreamEvent> javaType) {
        return Arrays.stream(values())
                .filter(t -> t.javaType.equals(javaType))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("javaType has no EventType: " + javaType));
    }

    /** The event type of an event. */
    public static EventType of(TrainstreamEvent event) {
        return of(FieldChecks.nonNull(event, "event").getClass());
    }
}
