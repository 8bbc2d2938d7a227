package dev.trainstream.events;

import java.time.Instant;

/**
 * A checkpoint could not be evaluated (e.g. missing object, digest mismatch, incompatible model).
 *
 * @param runId         training run (Kafka key)
 * @param checkpointUri the checkpoint that failed
 * @param step          training step of the checkpoint
 * @param reason        why, non-blank
 * @param failedAt      when the evaluation gave up
 */
public record EvaluationFailed(String runId, String checkpointUri, long step, String reason, Instant failedAt)
        implements EvaluationOutcome {

    public EvaluationFailed {
        FieldChecks.nonBlank(runId, "runId");
        FieldChecks.nonBlank(checkpointUri, "checkpointUri");
        FieldChecks.atLeast(step, 0L, "step");
        FieldChecks.nonBlank(reason, "reason");
        FieldChecks.nonNull(failedAt, "failedAt");
    }
}
