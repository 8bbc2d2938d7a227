package dev.trainstream.events;

/**
 * What happened when a checkpoint was evaluated (topic trainstream.evaluations.v1, key = runId): it was scored, it
 * could not be scored, or (after being scored) it was promoted to its run's best model.
 */
public sealed interface EvaluationOutcome extends TrainstreamEvent
        permits EvaluationCompleted, EvaluationFailed, ModelPromoted {

    /** The run whose checkpoint was evaluated; it is the Kafka key. */
    String runId();

    /** The evaluated checkpoint. */
    String checkpointUri();

    /** Training step of the evaluated checkpoint. */
    long step();
}
