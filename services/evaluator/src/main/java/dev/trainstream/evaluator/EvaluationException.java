package dev.trainstream.evaluator;

/** A checkpoint cannot be scored (missing, corrupt, incompatible): reported as an evaluation-failed event, not retried. */
final class EvaluationException extends RuntimeException {
    EvaluationException(String message) {
        super(message);
    }

    EvaluationException(String message, Throwable cause) {
        super(message, cause);
    }
}
