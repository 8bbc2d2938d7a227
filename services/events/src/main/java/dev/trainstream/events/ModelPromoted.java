package dev.trainstream.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A checkpoint passed the promotion gate and is now its run's best model; {@code bestPointerUri} already points to it.
 *
 * @param runId                 training run (Kafka key)
 * @param checkpointUri         the promoted checkpoint
 * @param checkpointSha256      sha256 hex of the promoted checkpoint object
 * @param step                  training step of the checkpoint
 * @param epoch                 epoch of the checkpoint
 * @param accuracy              its test accuracy within [0, 1]
 * @param meanLoss              its mean test loss, finite
 * @param bestPointerUri        the run's best-model pointer object (runs/&lt;run&gt;/best.json), updated before this event
 * @param previousCheckpointUri the best checkpoint it replaces; null (omitted from JSON) for the run's first promotion
 * @param previousAccuracy      the replaced best's accuracy; null exactly when previousCheckpointUri is null
 * @param reason                the gate's explanation, non-blank
 * @param promotedAt            when the pointer was updated
 */
public record ModelPromoted(String runId, String checkpointUri, String checkpointSha256, long step, int epoch,
                            double accuracy, double meanLoss, String bestPointerUri,
                            @JsonInclude(JsonInclude.Include.NON_NULL) String previousCheckpointUri,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Double previousAccuracy,
                            String reason, Instant promotedAt) implements EvaluationOutcome {

    public ModelPromoted {
        FieldChecks.nonBlank(runId, "runId");
        FieldChecks.nonBlank(checkpointUri, "checkpointUri");
        FieldChecks.sha256(checkpointSha256, "checkpointSha256");
        FieldChecks.atLeast(step, 0L, "step");
        FieldChecks.atLeast(epoch, 0, "epoch");
        FieldChecks.fraction(accuracy, "accuracy");
        FieldChecks.finite(meanLoss, "meanLoss");
        FieldChecks.nonBlank(bestPointerUri, "bestPointerUri");
        if ((previousCheckpointUri == null) != (previousAccuracy == null)) {
            throw new IllegalArgumentException("previousCheckpointUri and previousAccuracy must both be set or both be "
                    + "null, got " + previousCheckpointUri + " / " + previousAccuracy);
        }
        if (previousCheckpointUri != null) {
            FieldChecks.nonBlank(previousCheckpointUri, "previousCheckpointUri");
            FieldChecks.fraction(previousAccuracy, "previousAccuracy");
        }
        FieldChecks.nonBlank(reason, "reason");
        FieldChecks.nonNull(promotedAt, "promotedAt");
    }

    /** Whether the run had a best model before this one (false for its first promotion). */
    public boolean replacesEarlierBest() {
        return previousCheckpointUri != null;
    }
}
