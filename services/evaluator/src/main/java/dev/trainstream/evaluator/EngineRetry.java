package dev.trainstream.evaluator;

import dev.trainstream.events.CheckpointCreated;
import dev.trainstream.events.EvaluationCompleted;
import dev.trainstream.events.consume.Received;
import dev.trainstream.ops.lifecycle.StopAwareBackoff;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scoring with the evaluator's own trouble told apart from the checkpoint's: an engine failure (a device error, out of
 * device memory) is tried {@link #ATTEMPTS} times with backoff, the evaluator not ready meanwhile; if it persists, or
 * the checkpoint is of a newer format than this build reads, the evaluator stops with the event uncommitted, so a
 * good checkpoint never gets an evaluation-failed event for it.
 */
final class EngineRetry {
    private static final Logger LOG = LoggerFactory.getLogger(EngineRetry.class);
    /** Attempts at a checkpoint the engine fails on before the evaluator gives up and exits (offset uncommitted). */
    static final int ATTEMPTS = 3;
    private static final StopAwareBackoff BACKOFF = StopAwareBackoff.standard();

    private final CheckpointEvaluation evaluation;
    private final AtomicBoolean ready;
    private final BooleanSupplier stopRequested;

    EngineRetry(CheckpointEvaluation evaluation, AtomicBoolean ready, BooleanSupplier stopRequested) {
        this.evaluation = evaluation;
        this.ready = ready;
        this.stopRequested = stopRequested;
    }

    /**
     * The checkpoint's evaluation; null if a stop came while waiting to try again.
     *
     * @throws EvaluationException         when the checkpoint itself cannot be scored (missing, corrupt, incompatible)
     * @throws ScoringUnavailableException when the engine keeps failing or the checkpoint is newer than this build
     *                                     reads: this ends the service (non-zero exit) with the offset uncommitted
     */
    EvaluationCompleted score(Received<CheckpointCreated> received) {
        CheckpointCreated event = received.event();
        for (int attempt = 1; ; attempt++) {
            try {
                EvaluationCompleted result = evaluation.score(event);
                ready.set(true);
                return result;
            } catch (ScoringUnavailableException e) {
                String where = "checkpoint " + event.checkpointUri() + " of run " + event.runId() + " (partition "
                    + received.partition() + " offset " + received.offset() + ")";
                if (!e.worthRetrying() || attempt >= ATTEMPTS) {
                    throw new ScoringUnavailableException("evaluator stopping with " + where + " uncommitted after "
                        + attempt + " attempt(s), so a restarted or newer evaluator scores it: " + e.getMessage(),
                        e, false);
                }
                ready.set(false);
                LOG.warn("{}: attempt {} of {} failed, retrying in {} (not ready meanwhile): {}", where, attempt,
                    ATTEMPTS, BACKOFF.after(attempt), e.getMessage());
                try {
                    if (!BACKOFF.pause(attempt, stopRequested)) {
                        return null;
                    }
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
    }
}
