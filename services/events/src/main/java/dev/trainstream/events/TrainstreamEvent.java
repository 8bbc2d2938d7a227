package dev.trainstream.events;

/** Common supertype of every event, so codecs and topics can be typed over the closed set of event records. */
public sealed interface TrainstreamEvent
        permits BatchStreamEvent, TrainingMetrics, CheckpointCreated, EvaluationOutcome, RunLifecycle, DeadLetter {
}
