package dev.trainstream.trainer;

import java.util.Optional;

/**
 * What a trainer run did: steps, epochs, dead-lettered batches, the last checkpoint, and why it ended.
 * {@code finishedBefore}: the run had already trained every epoch asked for when this life started (its final
 * checkpoint says so), so this life trained nothing; steps, epochs and the checkpoint are those of that final one.
 */
public record TrainerSummary(String runId, String datasetId, long steps, int epochs, long deadLettered,
                             Optional<String> lastCheckpointUri, double lastLoss, boolean stoppedEarly,
                             boolean finishedBefore) {
    /**
     * Exit status of a trainer stopped (SIGTERM) before its run finished, once it has checkpointed: not a success, so
     * a Kubernetes Job replaces the pod and compose's on-failure policy restarts it, and the run resumes from that
     * checkpoint (75 = EX_TEMPFAIL: try again later).
     */
    public static final int EXIT_UNFINISHED = 75;

    /** What the trainer process exits with: 0 when the run finished (in this life or an earlier one). */
    public int exitStatus() {
        return stoppedEarly ? EXIT_UNFINISHED : 0;
    }
}
