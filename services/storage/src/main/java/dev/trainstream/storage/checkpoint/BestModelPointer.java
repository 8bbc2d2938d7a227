package dev.trainstream.storage.checkpoint;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.trainstream.storage.ObjectUri;
import java.time.Instant;

/**
 * The small object {@code runs/<id>/best.json}: which checkpoint is the run's best, replaced by one atomic PUT.
 * The trainer's retention keeps the checkpoint it names; the evaluator's export and the launcher's status read it.
 *
 * @param previousCheckpointUri the best it replaced (null for the run's first promotion), so a re-delivered promotion
 *                              can re-announce exactly what happened
 * @param previousAccuracy      that best's accuracy, null exactly when previousCheckpointUri is
 * @param testTimeAugmentation  how {@code accuracy} was scored, as in the evaluation event: null (omitted) = each image
 *                              as it is, {@code hflip} = averaged with its mirror; the gate names a change of scoring mode
 */
public record BestModelPointer(String runId, String checkpointUri, String sha256, long step, int epoch, double accuracy,
                               double meanLoss, Instant promotedAt,
                               @JsonInclude(JsonInclude.Include.NON_NULL) String previousCheckpointUri,
                               @JsonInclude(JsonInclude.Include.NON_NULL) Double previousAccuracy,
                               @JsonInclude(JsonInclude.Include.NON_NULL) String testTimeAugmentation) {
    public BestModelPointer {
        if (runId == null || runId.isBlank() || checkpointUri == null || checkpointUri.isBlank() || sha256 == null
            || promotedAt == null) {
            throw new IllegalArgumentException("best-model pointer needs runId, checkpointUri, sha256 and promotedAt");
        }
        if ((previousCheckpointUri == null) != (previousAccuracy == null)) {
            throw new IllegalArgumentException("previousCheckpointUri and previousAccuracy must both be set or both null");
        }
        ObjectUri.parse(checkpointUri); // a pointer naming no object would protect nothing from retention
    }

    /** The best checkpoint's object key in its bucket. */
    @JsonIgnore
    public String checkpointKey() {
        return ObjectUri.parse(checkpointUri).key();
    }
}
