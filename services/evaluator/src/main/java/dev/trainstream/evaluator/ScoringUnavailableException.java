package dev.trainstream.evaluator;

/**
 * This evaluator cannot score a checkpoint now through no fault of the checkpoint: the engine failed (a device error,
 * out of device memory) or the checkpoint is of a newer format than this build reads. Never an evaluation-failed
 * event: the checkpoint stays uncommitted so a restarted or newer evaluator scores it.
 */
final class ScoringUnavailableException extends RuntimeException {
    private final boolean worthRetrying;

    /** @param worthRetrying whether trying again in this process may succeed (an engine error, not a format) */
    ScoringUnavailableException(String message, Throwable cause, boolean worthRetrying) {
        super(message, cause);
        this.worthRetrying = worthRetrying;
    }

    boolean worthRetrying() {
        return worthRetrying;
    }
}
