package dev.trainstream.trainer;

/**
 * The run can neither continue from its checkpoints nor safely start over (a newer checkpoint format, storage that
 * refuses the read, an engine error while restoring): fatal, so the trainer publishes FAILED naming the checkpoint
 * instead of falling back and later overwriting checkpoints that other records point to.
 */
final class ResumeFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ResumeFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
