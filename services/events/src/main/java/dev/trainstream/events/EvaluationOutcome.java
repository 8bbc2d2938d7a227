package dev.trainstream.events;

/** What happened when a checkpoint was evaluated (topic trainstream.evaluations.v1, key = runId). */
public sealed interface EvaluationOutcome extends TrainstreamEvent permits EvaluationCompleted, EvaluationFailed {

    /** The run whose checkpoint was evaluated; it is the Kafka key. */
    String runId();

    /** The evaluated checkpoint. */
    String checkpointUri();

    /** Training step of the evaluated checkpoint. */
    long step();
}
